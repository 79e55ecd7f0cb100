const won = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'KRW' });

/** A price in Korean won (an int64, so a JSON string): "₩12,000". */
export function formatWon(krw: string | number): string {
  return won.format(Number(krw));
}

export function formatTime(time: string | undefined): string {
  return time ? new Date(time).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' }) : '';
}
