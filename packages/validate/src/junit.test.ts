/** Tests of the JUnit XML: one test case per check, failures carry the check's message. */
import { describe, expect, it } from 'vitest';
import { toJUnit } from './junit.js';

describe('toJUnit', () => {
  it('writes one testcase per check with escaped failure messages', () => {
    const xml = toJUnit('wrn.onnx on cifar', [
      { name: '--expect-top1-error', passed: true, measured: 0.038, limit: 0.039, message: 'PASS --expect-top1-error: 3.80 % is <= 3.90 %' },
      { name: '--min-agreement (node vs wasm)', passed: false, measured: 0.9, limit: 1, message: 'FAIL --min-agreement: 90.00 % < 100.00 % & "x"' },
    ], { images: 1000 });
    expect(xml).toContain('<testsuites name="onebit validate" tests="2" failures="1">');
    expect(xml).toContain('<property name="images" value="1000"/>');
    expect(xml.match(/<testcase /g)).toHaveLength(2);
    expect(xml).toContain('<testcase classname="wrn.onnx on cifar" name="--expect-top1-error"><system-out>PASS --expect-top1-error: 3.80 % is &lt;= 3.90 %</system-out></testcase>');
    expect(xml).toContain('<failure message="FAIL --min-agreement: 90.00 % &lt; 100.00 % &amp; &quot;x&quot;" type="gate">measured 0.9, limit 1</failure>');
  });
});
