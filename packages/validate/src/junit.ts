/**
 * JUnit XML for CI systems: one <testcase> per check (gates, runtime parity), failed checks carry
 * a <failure> with the check's one-line message, and the suite's properties state the measured
 * accuracy, the runtime and the preprocessing.
 */
import type { Check } from './gates.js';

const escapeXml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function toJUnit(suite: string, checks: readonly Check[], properties: Readonly<Record<string, string | number>> = {}): string {
  const failures = checks.filter((c) => !c.passed).length;
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="onebit validate" tests="${checks.length}" failures="${failures}">`,
    `  <testsuite name="${escapeXml(suite)}" tests="${checks.length}" failures="${failures}" errors="0">`,
    '    <properties>',
    ...Object.entries(properties).map(([k, v]) => `      <property name="${escapeXml(k)}" value="${escapeXml(String(v))}"/>`),
    '    </properties>',
  ];
  for (const c of checks) {
    const head = `    <testcase classname="${escapeXml(suite)}" name="${escapeXml(c.name)}"`;
    if (c.passed) lines.push(`${head}><system-out>${escapeXml(c.message)}</system-out></testcase>`);
    else lines.push(`${head}>`, `      <failure message="${escapeXml(c.message)}" type="gate">measured ${c.measured}, limit ${c.limit}</failure>`, '    </testcase>');
  }
  lines.push('  </testsuite>', '</testsuites>', '');
  return lines.join('\n');
}
