import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import type { Drill } from './CoverageBoard';

/** The drill as the URL keeps it (?town=…&village=…&gaps=1), so "back" climbs a level and a link opens the same level. */
export function drillOf(params: URLSearchParams): Drill {
  return {
    ...(params.get('town') ? { town: params.get('town')! } : {}),
    ...(params.get('village') ? { village: params.get('village')! } : {}),
    gapsOnly: params.get('gaps') === '1',
  };
}

export function paramsOf(drill: Drill): Record<string, string> {
  return { ...(drill.town ? { town: drill.town } : {}), ...(drill.village ? { village: drill.village } : {}), ...(drill.gapsOnly ? { gaps: '1' } : {}) };
}

/**
 * The board's drill: its own state, drawn in the click that changes it, then written to the URL.
 * Read from the URL alone, a click changed the address at once but the table only when the
 * router's transition rendered, so a second quick click still hit the old level's row (the
 * town again instead of its village). Back and forward still move it: the URL wins when it changes.
 */
export function useDrill(): [Drill, (next: Drill) => void] {
  const [params, setParams] = useSearchParams();
  const address = params.toString();
  const [drill, setDrill] = useState(() => drillOf(params));
  useEffect(() => setDrill(drillOf(new URLSearchParams(address))), [address]);
  const onDrill = (next: Drill) => {
    setDrill(next);
    setParams(paramsOf(next));
  };
  return [drill, onDrill];
}
