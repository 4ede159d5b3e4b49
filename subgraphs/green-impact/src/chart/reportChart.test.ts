// Proves the chart renders to SVG with one labelled bar per month and per category, in Chinese and in English.
import { describe, expect, it } from 'vitest';
import { renderReportSvg } from './reportChart.ts';

const data = {
  from: new Date('2026-01-01T00:00:00Z'),
  to: new Date('2026-04-01T00:00:00Z'),
  monthly: [{ month: '2026-01', co2eKg: 29.97 }, { month: '2026-02', co2eKg: 0 }, { month: '2026-03', co2eKg: 177.08 }],
  byCategory: [{ category: 'LED_LIGHTING', greenPoints: 40 }, { category: 'WATER_SAVING', greenPoints: 80 }],
  totals: { co2eKg: 207.05, greenPoints: 120, waterLitres: 10_221 },
};

describe('renderReportSvg', () => {
  it('labels every bar with its figure, in Chinese', async () => {
    const svg = await renderReportSvg(data, 'zh');
    expect(svg.startsWith('<svg')).toBe(true);
    const labels = [...svg.matchAll(/aria-label="([^"]*)"/g)].map((m) => m[1]);
    expect(labels).toEqual(expect.arrayContaining(['2026-01: 29.97 千克二氧化碳当量', '2026-03: 177.08 千克二氧化碳当量', '节能照明: 40 绿色积分', '节水器具: 80 绿色积分']));
    expect(svg).toContain('我的绿色贡献');
  });
  it('speaks English when asked', async () => {
    const svg = await renderReportSvg(data, 'en');
    expect(svg).toContain('My green contribution');
    expect(svg).toContain('Water saving: 80 Green points');
  });
});
