import { Slider, Typography } from 'antd';
import { useLanguage } from '../../i18n/LanguageContext';
import { asOfAt, sliderMarks } from './as-of';

/** The time slider over a case's recorded instants: moving it reports the `asOf` to read the case at (undefined = today). */
export function AsOfSlider({ stops, stop, onMove }: { stops: readonly string[]; stop: number; onMove: (stop: number, asOf: string | undefined) => void }) {
  const { t } = useLanguage();
  if (stops.length < 2) return <Typography.Text type="secondary">{t({ zh: '只有一个时点，无可回溯', en: 'One moment only' })}</Typography.Text>;
  return (
    <div data-testid="as-of-slider" style={{ padding: '0 16px' }}>
      <Slider
        min={0}
        max={stops.length - 1}
        value={stop}
        marks={sliderMarks(stops)}
        tooltip={{ formatter: (i) => (i === undefined ? '' : (stops[i]?.slice(0, 19).replace('T', ' ') ?? '')) }}
        onChange={(i: number) => onMove(i, asOfAt(stops, i))}
      />
    </div>
  );
}
