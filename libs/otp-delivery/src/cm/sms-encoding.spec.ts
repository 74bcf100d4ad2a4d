import { analyzeSms } from './sms-encoding.js';

describe('analyzeSms', () => {
  it('answers one GSM-7 part for a short Latin text', () => {
    expect(analyzeSms('Your code is 123456')).toEqual({ encoding: 'GSM-7', characters: 19, parts: 1 });
  });

  it('answers one part for an empty body', () => {
    expect(analyzeSms('')).toEqual({ encoding: 'GSM-7', characters: 0, parts: 1 });
  });

  it.each([
    [160, 1],
    [161, 2],
    [306, 2],
    [307, 3],
    [459, 3],
    [460, 4],
  ])('splits %i GSM-7 characters into %i parts (160 single, 153 per part)', (length, parts) => {
    expect(analyzeSms('a'.repeat(length))).toEqual({ encoding: 'GSM-7', characters: length, parts });
  });

  it('counts extension characters as two septets', () => {
    expect(analyzeSms('€[]{}|^~\\\f')).toEqual({ encoding: 'GSM-7', characters: 20, parts: 1 });
    expect(analyzeSms('€'.repeat(80))).toEqual({ encoding: 'GSM-7', characters: 160, parts: 1 });
    expect(analyzeSms('a' + '€'.repeat(80))).toMatchObject({ characters: 161, parts: 2 });
  });

  it('never splits an escape pair across parts', () => {
    // 152 septets, then a 2-septet char that would straddle the 153 boundary: it moves to part 2.
    const text = 'a'.repeat(152) + '€' + 'a'.repeat(152);
    expect(analyzeSms(text)).toEqual({ encoding: 'GSM-7', characters: 306, parts: 3 });
  });

  it('keeps the GSM-7 accented letters in GSM-7', () => {
    expect(analyzeSms('Code: 1234 é à ü Ñ ß Δ')).toMatchObject({ encoding: 'GSM-7', parts: 1 });
  });

  it('switches to UCS-2 for one character outside GSM-7', () => {
    expect(analyzeSms('Code 123456 ✓')).toEqual({ encoding: 'UCS-2', characters: 13, parts: 1 });
  });

  it.each([
    [70, 1],
    [71, 2],
    [134, 2],
    [135, 3],
    [536, 8],
    [537, 9],
    [670, 10],
    [671, 11],
  ])('splits %i UCS-2 characters into %i parts (70 single, 67 per part)', (length, parts) => {
    expect(analyzeSms('あ'.repeat(length))).toEqual({ encoding: 'UCS-2', characters: length, parts });
  });

  it('answers UCS-2 for Japanese text', () => {
    expect(analyzeSms('認証コードは123456です')).toEqual({ encoding: 'UCS-2', characters: 14, parts: 1 });
  });

  it('counts UTF-16 code units and never splits a surrogate pair', () => {
    expect(analyzeSms('😀')).toEqual({ encoding: 'UCS-2', characters: 2, parts: 1 });
    const text = 'あ'.repeat(66) + '😀' + 'あ'.repeat(10);
    expect(analyzeSms(text)).toEqual({ encoding: 'UCS-2', characters: 78, parts: 2 });
    const straddling = 'あ'.repeat(66) + '😀' + 'あ'.repeat(66);
    expect(analyzeSms(straddling)).toEqual({ encoding: 'UCS-2', characters: 134, parts: 3 });
  });
});
