import type { Rng } from './context';

/** Synthetic names in the county's style; nothing here is a real person or place record. */
const PLACE_FIRST = '石龙板凤回福新青桂金银白黄马鹿云岩茶竹松梨桃安和兴团永长碧红双高向阳'.split('');
const PLACE_SECOND = '坪溪湾坝岭塘田坡山林沟口河桥园丰乐光望顺华江'.split('');
const CN_DIGITS = ['', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

export const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤'.split(
    '',
  );
const GIVEN_MALE = '伟强磊军勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆帅旭宁龙林洋兵国建文志勇德福贵荣海成'.split('');
const GIVEN_FEMALE = '芳娜敏静丽艳娟霞秀英玲桂兰萍燕红梅琴云莲珍凤洁琳雪慧颖倩婷'.split('');

/** 1..99 as the county writes group numbers: 一, 十二, 二十. */
export function chineseNumber(n: number): string {
  if (n < 10) return CN_DIGITS[n]!;
  const tens = Math.floor(n / 10);
  return `${tens === 1 ? '' : CN_DIGITS[tens]}十${CN_DIGITS[n % 10]}`;
}

/** A two-character place name not yet in `taken` (and then taken). */
export function placeName(rng: Rng, taken: Set<string>): string {
  for (;;) {
    const name = rng.pick(PLACE_FIRST) + rng.pick(PLACE_SECOND);
    if (!taken.has(name)) {
      taken.add(name);
      return name;
    }
  }
}

export function personName(rng: Rng, sex: 'male' | 'female', surname = rng.pick(SURNAMES)): string {
  const pool = sex === 'male' ? GIVEN_MALE : GIVEN_FEMALE;
  return surname + rng.pick(pool) + (rng.chance(0.7) ? rng.pick(pool) : '');
}
