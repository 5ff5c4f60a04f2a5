/**
 * The JSON form of a validation report (what `--json` writes and `onebit report merge` reads):
 * indented for reading, but every array of plain numbers on one line, so a 1000-class confusion
 * matrix is 1000 lines rather than a million.
 */

export function formatReportJson(report: object): string {
  const text = JSON.stringify(report, null, 2);
  return `${text.replace(/\[\s*((?:-?[\d.eE+-]+|null)(?:,\s*(?:-?[\d.eE+-]+|null))*)\s*\]/g, (_, items: string) => `[${items.split(/,\s*/).join(', ')}]`)}\n`;
}
