import canonicalize from 'canonicalize';
import { describe, expect, it } from 'vitest';
import { canonicalJson, chainedHash, eventHash, GENESIS_HASH, HASH_FORMAT, sha256Hex } from '../../src/application/hash-chain';

/**
 * RFC 8785 (JSON Canonicalization Scheme): the published examples. Inputs are JSON texts parsed
 * as a verifier would parse a stored row; outputs are the RFC's expected canonical forms.
 */
describe('canonicalJson follows RFC 8785 (JCS)', () => {
  it('§3.2.2: serialises numbers, strings and literals as the RFC shows', () => {
    const input = String.raw`{
      "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
      "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
      "literals": [null, true, false]
    }`;
    expect(canonicalJson(JSON.parse(input))).toBe(
      String.raw`{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}`,
    );
  });

  it('§3.2.3: sorts keys by UTF-16 code units, the integer-like key "1" after "\\r" and before "\\u0080"', () => {
    const input = String.raw`{
      "\u20ac": "Euro Sign",
      "\r": "Carriage Return",
      "\ufb33": "Hebrew Letter Dalet With Dagesh",
      "1": "One",
      "\ud83d\ude00": "Emoji: Grinning Face",
      "\u0080": "Control",
      "\u00f6": "Latin Small Letter O With Diaeresis"
    }`;
    const keys = ['\r', '1', '\u0080', '\u00f6', '\u20ac', '\ud83d\ude00', '\ufb33'];
    const parsed = JSON.parse(input) as Record<string, string>;
    expect(canonicalJson(parsed)).toBe(`{${keys.map((k) => `${JSON.stringify(k)}:${JSON.stringify(parsed[k])}`).join(',')}}`);
    expect(canonicalJson(parsed).startsWith('{"\\r":"Carriage Return","1":"One","\u0080":"Control"')).toBe(true);
  });

  it('the JCS test suite "weird" example', () => {
    const input = String.raw`{
      "\u20ac": "Euro Sign",
      "1": "One",
      "\u0080": "Control\u007f",
      "\ud83d\ude02": "Smiley",
      "\u00f6": "Latin Small Letter O With Diaeresis",
      "\ufb33": "Hebrew Letter Dalet With Dagesh",
      "</script>": "Browser Challenge"
    }`;
    expect(canonicalJson(JSON.parse(input))).toBe(
      '{"1":"One","</script>":"Browser Challenge","\u0080":"Control\u007f","\u00f6":"Latin Small Letter O With Diaeresis","\u20ac":"Euro Sign","\ud83d\ude02":"Smiley","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
    );
  });

  it('Appendix B: IEEE 754 doubles serialise as the RFC lists', () => {
    const cases: Array<[string, string]> = [
      ['0000000000000000', '0'],
      ['8000000000000000', '0'],
      ['0000000000000001', '5e-324'],
      ['8000000000000001', '-5e-324'],
      ['7fefffffffffffff', '1.7976931348623157e+308'],
      ['ffefffffffffffff', '-1.7976931348623157e+308'],
      ['4340000000000000', '9007199254740992'],
      ['c340000000000000', '-9007199254740992'],
      ['4430000000000000', '295147905179352830000'],
      ['44b52d02c7e14af5', '9.999999999999997e+22'],
      ['44b52d02c7e14af6', '1e+23'],
      ['44b52d02c7e14af7', '1.0000000000000001e+23'],
      ['444b1ae4d6e2ef4e', '999999999999999700000'],
      ['444b1ae4d6e2ef4f', '999999999999999900000'],
      ['444b1ae4d6e2ef50', '1e+21'],
      ['3eb0c6f7a0b5ed8c', '9.999999999999997e-7'],
      ['3eb0c6f7a0b5ed8d', '0.000001'],
      ['41b3de4355555553', '333333333.3333332'],
      ['41b3de4355555554', '333333333.33333325'],
      ['41b3de4355555555', '333333333.3333333'],
      ['41b3de4355555556', '333333333.3333334'],
      ['41b3de4355555557', '333333333.33333343'],
      ['becbf647612f3696', '-0.0000033333333333333333'],
      ['43143ff3c1cb0959', '1424953923781206.2'],
    ];
    for (const [hex, expected] of cases) {
      const value = Buffer.from(hex, 'hex').readDoubleBE(0);
      expect(canonicalJson(value), hex).toBe(expected);
      expect(canonicalJson([value]), hex).toBe(`[${expected}]`);
    }
  });

  it('Appendix B: NaN and Infinity have no canonical form', () => {
    expect(() => canonicalJson(Number.NaN)).toThrow();
    expect(() => canonicalJson({ a: Number.POSITIVE_INFINITY })).toThrow();
  });

  it('orders integer-like keys as strings, not as V8 iterates them', () => {
    // V8 iterates {"b","10","2"} as 2, 10, b; JCS wants "10" < "2" < "b".
    expect(canonicalJson({ b: 1, 10: 2, 2: 3 })).toBe('{"10":2,"2":3,"b":1}');
    expect(canonicalJson({ z: { 100: true, 9: false } })).toBe('{"z":{"100":true,"9":false}}');
  });

  it('drops undefined members and sorts nested objects, as before', () => {
    expect(canonicalJson({ b: undefined, a: [{ d: 1, c: 2 }] })).toBe('{"a":[{"c":2,"d":1}]}');
    expect(canonicalJson({ at: new Date('2026-01-01T00:00:00.000Z') })).toBe('{"at":"2026-01-01T00:00:00.000Z"}');
  });
});

describe('canonicalJson agrees with the reference implementation', () => {
  it('on rows as jsonb hands them back (keys by length) and on random values with integer-like keys', () => {
    expect(canonicalJson({ on: '2026-03-02', notes: 'x', groupId: 'g' })).toBe('{"groupId":"g","notes":"x","on":"2026-03-02"}');
    let seed = 42;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    const keys = ['a', 'b', 'on', 'notes', '10', '2', 'é', '€', 'Z', '_', '__proto__', '0', '01'];
    const value = (depth: number): unknown => {
      switch (depth > 3 ? rnd(4) : rnd(6)) {
        case 0:
          return rnd(1000) / (rnd(7) + 1) - 50;
        case 1:
          return `s${rnd(100)}\n"€`;
        case 2:
          return rnd(2) === 0;
        case 3:
          return null;
        case 4:
          return Array.from({ length: rnd(4) }, () => value(depth + 1));
        default: {
          const o: Record<string, unknown> = {};
          for (let i = rnd(5); i > 0; i--)
            Object.defineProperty(o, keys[rnd(keys.length)]!, { value: value(depth + 1), enumerable: true, configurable: true, writable: true });
          return o;
        }
      }
    };
    for (let i = 0; i < 2000; i++) {
      const v = value(0);
      expect(canonicalJson(v)).toBe(canonicalize(v));
    }
  });
});

describe('event hash format', () => {
  it('is version 2, and the version is part of the hashed content', () => {
    expect(HASH_FORMAT).toBe(2);
    const content = {
      streamId: 's-1',
      eventId: '00000000-0000-4000-8000-000000000001',
      version: 1,
      type: 'T',
      schemaVersion: 1,
      data: { 10: 'x', 2: 'y' },
      metadata: { actorId: 'a' },
      prevHash: GENESIS_HASH,
    };
    const expected = sha256Hex(
      `{"data":{"10":"x","2":"y"},"eventId":"00000000-0000-4000-8000-000000000001","hashFormat":2,"metadata":{"actorId":"a"},"prevHash":"${GENESIS_HASH}","schemaVersion":1,"streamId":"s-1","type":"T","version":1}`,
    );
    expect(eventHash(content)).toBe(expected);
    expect(chainedHash({ ...content, dataJson: canonicalJson(content.data), metadataJson: canonicalJson(content.metadata) })).toBe(expected);
    // The hashed text is the JCS form of the content with the format field.
    expect(sha256Hex(canonicalJson({ ...content, hashFormat: HASH_FORMAT }))).toBe(expected);
  });
});
