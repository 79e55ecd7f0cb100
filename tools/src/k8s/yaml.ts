/** A small YAML writer for plain data (objects, arrays, strings, numbers, booleans), enough for manifests. */
export function toYaml(value: unknown, indent = 0): string {
  const pad = ' '.repeat(indent);
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return value
      .map((item) => {
        const rendered = toYaml(item, indent + 2);
        return isBlock(item) ? `${pad}- ${rendered.trimStart()}` : `${pad}- ${rendered}`;
      })
      .join('\n');
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return '{}';
    return entries
      .map(([key, item]) => (isBlock(item) ? `${pad}${key}:\n${toYaml(item, indent + 2)}` : `${pad}${key}: ${toYaml(item, indent + 2)}`))
      .join('\n');
  }
  if (typeof value === 'string')
    return /^[A-Za-z0-9_./:@-][A-Za-z0-9_./:@ -]*$/.test(value) && !/^(true|false|null|yes|no|\d[\d.]*)$/i.test(value) && !value.endsWith(' ')
      ? value
      : JSON.stringify(value);
  return String(value);
}

function isBlock(value: unknown): boolean {
  return (Array.isArray(value) && value.length > 0) || (value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length > 0);
}

/** Several manifests in one file. */
export function documents(manifests: object[]): string {
  return `${manifests.map((manifest) => `---\n${toYaml(manifest)}`).join('\n')}\n`;
}
