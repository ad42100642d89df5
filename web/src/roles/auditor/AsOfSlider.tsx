import { Slider, Typography } from 'antd';
import { useLanguage } from '../../i18n/LanguageContext';
import { asOfAt, sliderMarks, type HistoryEvent } from './as-of';

/** The time slider over a case's events: moving it reports the `asOf` to read the case at (undefined = today). */
export function AsOfSlider({
  events,
  stop,
  onMove,
}: {
  events: readonly HistoryEvent[];
  stop: number;
  onMove: (stop: number, asOf: string | undefined) => void;
}) {
  const { t } = useLanguage();
  if (events.length < 2) return <Typography.Text type="secondary">{t({ zh: '只有一个事件，无可回溯', en: 'One event only' })}</Typography.Text>;
  return (
    <div data-testid="as-of-slider" style={{ padding: '0 16px' }}>
      <Slider
        min={0}
        max={events.length - 1}
        value={stop}
        marks={sliderMarks(events)}
        tooltip={{ formatter: (i) => (i === undefined ? '' : `${events[i]?.recordedAt.slice(0, 19).replace('T', ' ')} ${events[i]?.type ?? ''}`) }}
        onChange={(i: number) => onMove(i, asOfAt(events, i))}
      />
    </div>
  );
}
