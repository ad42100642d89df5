import { Tooltip, Typography } from 'antd';
import { useLanguage } from '../i18n/LanguageContext';

/** Masking characters the API uses (full-width and ASCII asterisks, the bullet). */
const MASK = /[*＊•]/;

/** True when the API masked this value for the caller's role. */
export const isMasked = (value: string | null | undefined): boolean => typeof value === 'string' && MASK.test(value);

/**
 * A personal value exactly as the API returned it: the console never unmasks or re-masks, it only
 * says so when a value is masked (the role may not see it whole) or absent.
 */
export function MaskedValue({ value }: { value: string | null | undefined }) {
  const { t } = useLanguage();
  if (value === null || value === undefined || value === '') return <Typography.Text type="secondary">—</Typography.Text>;
  if (!isMasked(value)) return <Typography.Text>{value}</Typography.Text>;
  return (
    <Tooltip title={t({ zh: '按您的角色已部分隐藏', en: 'Partly hidden for your role' })}>
      <Typography.Text type="secondary" data-masked="true">
        {value}
      </Typography.Text>
    </Tooltip>
  );
}
