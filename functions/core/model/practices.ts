/** Practices: a GP practice and its champion. */

export interface Champion {
  name: string;
  role: string;
  email: string;
  phone?: string;
}

export interface Practice {
  /** ODS code in England and Wales (A81001), a five-digit practice code in Scotland. */
  code: string;
  name: string;
  postcode: string;
  champion: Champion;
}
