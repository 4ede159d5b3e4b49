import { BarChart, LineChart, PieChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TitleComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { ApiError, fetchAnalytics, type Analytics } from './api.ts';
import { buildCharts } from './charts.ts';
import { isLang, translator, type Lang } from './i18n.ts';

// Only what the dashboard draws is bundled; SVG, so the charts are elements a test (and a reader) can inspect.
echarts.use([BarChart, LineChart, PieChart, GridComponent, LegendComponent, TitleComponent, TooltipComponent, SVGRenderer]);

const TOKEN_KEY = 'greenpoints.analystToken';
const LANG_KEY = 'greenpoints.lang';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

const state: { lang: Lang; data: Analytics | null } = {
  lang: isLang(sessionStorage.getItem(LANG_KEY)) ? (sessionStorage.getItem(LANG_KEY) as Lang) : navigator.language.startsWith('zh') ? 'zh' : 'en',
  data: null,
};

/** Static words of the page, by element id. */
function translatePage() {
  const t = translator(state.lang);
  document.documentElement.lang = state.lang === 'zh' ? 'zh-CN' : 'en';
  document.title = t('title');
  for (const el of document.querySelectorAll<HTMLElement>('[data-i18n]')) el.textContent = t(el.dataset['i18n'] ?? '');
  $<HTMLInputElement>('token').placeholder = t('tokenHint');
  for (const button of document.querySelectorAll<HTMLButtonElement>('[data-lang]')) button.setAttribute('aria-pressed', String(button.dataset['lang'] === state.lang));
}

function setStatus(text: string, isError = false) {
  const status = $('status');
  status.textContent = text;
  status.classList.toggle('error', isError);
}

/** Draws (or redraws, after a language switch) every chart, and records what each one shows. */
function render() {
  const data = state.data;
  const board = $('charts');
  for (const el of board.querySelectorAll<HTMLElement>('[data-chart]')) echarts.getInstanceByDom(el)?.dispose();
  board.replaceChildren();
  if (!data) return;
  const t = translator(state.lang);
  $('summary').textContent = `${t('asOf', { time: new Date(data.asOf).toLocaleString(state.lang === 'zh' ? 'zh-CN' : 'en-GB') })} · ${t('subtitle', { k: data.minGroupSize })}`;
  for (const spec of buildCharts(data, t)) {
    const el = document.createElement('section');
    el.className = 'chart';
    el.dataset['chart'] = spec.id;
    el.dataset['values'] = JSON.stringify({ labels: spec.labels, series: spec.series, suppressed: spec.suppressed });
    board.append(el);
    const chart = echarts.init(el, undefined, { renderer: 'svg' });
    chart.setOption(spec.option);
    el.dataset['rendered'] = 'true';
  }
}

async function load(token: string) {
  const t = translator(state.lang);
  setStatus(t('loading'));
  try {
    state.data = await fetchAnalytics(token);
    sessionStorage.setItem(TOKEN_KEY, token);
    $('signin').hidden = true;
    $('signout').hidden = false;
    setStatus('');
    render();
  } catch (error) {
    state.data = null;
    render();
    const refused = error instanceof ApiError && ['UNAUTHENTICATED', 'FORBIDDEN', 'HTTP_401'].includes(error.code);
    setStatus(refused ? t('refused', { code: (error as ApiError).code }) : t('failed', { message: (error as Error).message }), true);
  }
}

function start() {
  translatePage();
  $('signin').addEventListener('submit', (event) => {
    event.preventDefault();
    const token = $<HTMLInputElement>('token').value.trim();
    if (token) void load(token);
  });
  $('signout').addEventListener('click', () => {
    sessionStorage.removeItem(TOKEN_KEY);
    state.data = null;
    $('signin').hidden = false;
    $('signout').hidden = true;
    $('summary').textContent = '';
    render();
  });
  for (const button of document.querySelectorAll<HTMLButtonElement>('[data-lang]')) {
    button.addEventListener('click', () => {
      state.lang = isLang(button.dataset['lang']) ? button.dataset['lang'] : state.lang;
      sessionStorage.setItem(LANG_KEY, state.lang);
      translatePage();
      render();
    });
  }
  window.addEventListener('resize', () => {
    for (const el of document.querySelectorAll<HTMLElement>('[data-chart]')) echarts.getInstanceByDom(el)?.resize();
  });
  const saved = sessionStorage.getItem(TOKEN_KEY);
  if (saved) void load(saved);
}

start();
