import { Unavailable } from './errors';

/**
 * A test-only switch that makes this instance fail every call of its services with UNAVAILABLE
 * while its health stays SERVING: the failure only passive checks (Envoy's outlier detection)
 * can see. Off unless FUNSHOP_TEST_FAULT_SWITCH=true; then POST /fault turns it on and
 * DELETE /fault off, on the instance's metrics port.
 */
export class FaultSwitch {
  private active = false;

  set(active: boolean): void {
    this.active = active;
  }

  /** Throws while the switch is on. */
  check(): void {
    if (this.active) throw new Unavailable('fault injected by the test switch');
  }
}
