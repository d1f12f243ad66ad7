/** Past this many, further warnings are counted, not listed: a 10 MB document can hold thousands. */
const MAX_LISTED = 200;

export interface DescriptionWarning {
  readonly pointer: string;
  readonly message: string;
}

export interface DescriptionWarnings {
  add(pointer: string, message: string): void;
  list(): DescriptionWarning[];
}

export function createDescriptionWarnings(): DescriptionWarnings {
  const listed: DescriptionWarning[] = [];
  const seen = new Set<string>();
  let unlisted = 0;
  return {
    add(pointer, message) {
      const key = `${pointer}\n${message}`;
      if (seen.has(key)) return;
      seen.add(key);
      if (listed.length < MAX_LISTED) listed.push({ pointer, message });
      else unlisted += 1;
    },
    list() {
      if (unlisted === 0) return [...listed];
      return [...listed, { pointer: '', message: `${unlisted} more warnings not listed` }];
    },
  };
}
