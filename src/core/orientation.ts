/**
 * How a text line's orientation (0° or 180°) was settled: the evidence and the decision that ocr/line-orientation.ts
 * computes and engines pass along with their text regions, so a re-read by another engine can add to it. Types only.
 */

/** A line's turn relative to its crop as given: 0 = keep, 180 = turned. */
export type Turn = 0 | 180;

/** One engine's reading of the line at one turn. */
export interface TurnReading {
  engine: string;
  turn: Turn;
  text: string;
  /** The engine's mean confidence for the line (0..1). */
  confidence: number;
}

export interface OrientationEvidence {
  /** The angle classifier's probability that the crop as given is upside down. */
  p180?: number;
  /**
   * What the rest of the page says: +1 its confident lines are upside down relative to this crop, −1 they are the
   * same way up, 0 (default) nothing known.
   */
  page?: number;
  readings: readonly TurnReading[];
}

export interface OrientationDecision {
  turn: Turn;
  /** Summed evidence for the chosen turn (≥ 0); see {@link STRONG_MARGIN}. */
  margin: number;
  /** The evidence is strong enough to turn a line another engine already read the other way. */
  strong: boolean;
}

/** A reading with what is needed to keep it as a line's text. */
export interface LineReading {
  text: string;
  confidence: number;
  charConfidences?: number[];
}

/** How a line's orientation was settled, relative to the line as finally kept (turn 0 = as kept). */
export interface SettledOrientation {
  evidence: OrientationEvidence;
  decision: OrientationDecision;
  /** The same engine's reading of the line the other way up, when it was read both ways. */
  other?: LineReading;
}
