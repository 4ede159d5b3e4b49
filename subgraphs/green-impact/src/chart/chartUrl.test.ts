// Proves a chart URL opens its one picture for five minutes, and nothing once altered or expired.
import { describe, expect, it } from 'vitest';
import { signChartUrl, verifyChartUrl } from './chartUrl.ts';

const request = { userId: '8f0c2a5e-1d3b-4c7a-9e21-00000000d3e0', from: new Date('2026-01-01T00:00:00Z'), to: new Date('2027-01-01T00:00:00Z'), lang: 'zh' as const };
const at = Date.parse('2026-06-01T00:00:00Z');
const parse = (path: string) => new URL(path, 'http://gateway');

describe('chart URLs', () => {
  it('verify as signed, within five minutes', () => {
    const url = parse(signChartUrl(request, 'secret', at));
    expect(verifyChartUrl(url, 'secret', at + 299_000)).toEqual(request);
    expect(verifyChartUrl(url, 'secret', at + 301_000)).toBeNull();
  });
  it('refuse another user, period, language, key or a missing signature', () => {
    const url = signChartUrl(request, 'secret', at);
    for (const altered of [
      url.replace('00000000d3e0', '00000000d3e1'),
      url.replace('2027-01-01', '2028-01-01'),
      url.replace('lang=zh', 'lang=en'),
      url.replace(/&sig=.*/, ''),
    ]) expect(verifyChartUrl(parse(altered), 'secret', at), altered).toBeNull();
    expect(verifyChartUrl(parse(url), 'another secret', at)).toBeNull();
  });
});
