import { htmlLang, translate } from './i18n';
import { en, zhTW } from './messages';

describe('i18n', () => {
  it('has every message in both languages, none empty', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(zhTW).sort());
    for (const table of [zhTW, en]) for (const text of Object.values(table)) expect(text.trim()).not.toBe('');
  });

  it('uses the same placeholders in both languages', () => {
    const placeholders = (text: string) => (text.match(/\{\w+\}/g) ?? []).sort();
    for (const key of Object.keys(zhTW) as Array<keyof typeof zhTW>)
      expect([key, placeholders(en[key])]).toEqual([key, placeholders(zhTW[key])]);
  });

  it('fills placeholders and leaves unknown ones visible', () => {
    expect(translate('zh-TW', 'chillers.runningCount', { running: 2, total: 4 })).toBe('運轉 2 / 4 台');
    expect(translate('en', 'chillers.runningCount', { running: 2, total: 4 })).toBe('2 of 4 running');
    expect(translate('en', 'chillers.runningCount', { running: 2 })).toBe('2 of {total} running');
    expect(translate('zh-TW', 'nav.chillers')).toBe('冰水主機');
  });

  it('tags the page language', () => {
    expect(htmlLang('zh-TW')).toBe('zh-Hant-TW');
    expect(htmlLang('en')).toBe('en');
  });
});
