import { stringify, type ToStringOptions } from 'yaml';

/**
 * How manifests are written: no line folding, and no anchors for objects a manifest happens to
 * share (the same labels in a selector and a template), which `yaml` would otherwise add.
 */
const OPTIONS: ToStringOptions & { aliasDuplicateObjects: boolean } = { lineWidth: 0, aliasDuplicateObjects: false };

/** One YAML document, ending in a newline. */
export function toYaml(value: unknown): string {
  return stringify(value, OPTIONS);
}

/** Several manifests in one file. */
export function documents(manifests: object[]): string {
  return manifests.map((manifest) => `---\n${toYaml(manifest)}`).join('');
}
