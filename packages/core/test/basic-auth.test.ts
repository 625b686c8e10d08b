import { describe, expect, it } from 'vitest';
import { isBasicScheme, parseBasic } from '../src/basic-auth.js';

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

describe('parseBasic', () => {
  it('splits at the first colon and form-decodes both parts (RFC 6749 §2.3.1)', () => {
    expect(parseBasic(`Basic ${b64('app-1:s3cr:et')}`)).toEqual({ user: 'app-1', pass: 's3cr:et' });
    expect(parseBasic(`basic   ${b64('app%2D1:a+b%2Bc')}`)).toEqual({ user: 'app-1', pass: 'a b+c' });
    expect(parseBasic(`Basic ${b64('id:bad%zz')}`)).toEqual({ user: 'id', pass: 'bad%zz' });
    expect(parseBasic(`Basic ${Buffer.from('default:tok_-x').toString('base64url')}`)).toEqual({ user: 'default', pass: 'tok_-x' });
  });

  it('refuses other schemes and malformed values', () => {
    for (const h of [undefined, '', 'Bearer abc', `Basic ${b64('no-colon')}`, 'Basic a b', 'Basic']) expect(parseBasic(h), String(h)).toBeUndefined();
    expect(isBasicScheme('Basic')).toBe(true);
    expect(isBasicScheme('basic xyz')).toBe(true);
    expect(isBasicScheme('Bearer xyz')).toBe(false);
    expect(isBasicScheme('Basically')).toBe(false);
  });
});
