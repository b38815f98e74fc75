/**
 * The longest value a CloudFormation parameter's `AllowedPattern` accepts, for tests that grow every parameter
 * to its limit. CloudFormation checks a value only against the parameter's own `AllowedPattern`, `MinLength`
 * and `MaxLength` (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html),
 * so whatever the pattern accepts up to `MaxLength` can reach the policies.
 *
 * Handles the regular expression syntax the templates use: `^`, `$`, literals and escapes (`\d`, `\w`, `\s`,
 * `\xHH`), character classes with ranges and negation, groups with alternation, and the quantifiers `?`,
 * `{m}`, `{m,n}`; `*`, `+` and `{m,}` make a pattern unbounded, and {@link longestMatch} throws then.
 *
 * The longest language of a concatenation is the concatenation of the parts' longest, and of an alternation
 * the longest alternative, so building it part by part is exact. Characters are chosen to be the worst case
 * for IAM's size count: `"` or `\` where the pattern allows them (JSON doubles both); elsewhere the class's
 * characters in turn, starting at `variant`, so that list items grown with different variants differ.
 */

type Node =
  | { kind: 'chars'; set: string[] }
  | { kind: 'seq'; items: Node[] }
  | { kind: 'alt'; options: Node[] }
  | { kind: 'repeat'; node: Node; max: number };

/** Printable ASCII: the characters a parameter value is made of here. */
const PRINTABLE = Array.from({ length: 0x7f - 0x20 }, (_, i) => String.fromCharCode(0x20 + i));

class Parser {
  private index = 0;
  constructor(private readonly source: string) {}

  public parse(): Node {
    const node = this.alternation();
    if (this.index < this.source.length) throw new Error(`Unexpected "${this.source[this.index]}" at ${this.index} in ${this.source}`);
    return node;
  }

  private alternation(): Node {
    const options = [this.sequence()];
    while (this.peek() === '|') {
      this.index++;
      options.push(this.sequence());
    }
    return options.length === 1 ? options[0] : { kind: 'alt', options };
  }

  private sequence(): Node {
    const items: Node[] = [];
    while (this.index < this.source.length && this.peek() !== '|' && this.peek() !== ')') {
      const atom = this.atom();
      if (atom) items.push(this.quantified(atom));
    }
    return { kind: 'seq', items };
  }

  private atom(): Node | undefined {
    const c = this.source[this.index++];
    if (c === '^' || c === '$') return undefined;
    if (c === '(') {
      if (this.source.startsWith('?:', this.index)) this.index += 2;
      const inner = this.alternation();
      this.expect(')');
      return inner;
    }
    if (c === '[') return this.characterClass();
    if (c === '.') return { kind: 'chars', set: PRINTABLE };
    if (c === '\\') return { kind: 'chars', set: this.escape() };
    return { kind: 'chars', set: [c] };
  }

  private quantified(atom: Node): Node {
    const c = this.peek();
    if (c === '*' || c === '+') throw new Error(`Unbounded quantifier "${c}" at ${this.index} in ${this.source}`);
    if (c === '?') {
      this.index++;
      return { kind: 'repeat', node: atom, max: 1 };
    }
    if (c === '{') {
      const match = /^\{(\d+)(,(\d*))?\}/.exec(this.source.slice(this.index));
      if (!match) throw new Error(`Bad quantifier at ${this.index} in ${this.source}`);
      this.index += match[0].length;
      if (match[2] !== undefined && match[3] === '') throw new Error(`Unbounded quantifier "${match[0]}" in ${this.source}`);
      return { kind: 'repeat', node: atom, max: Number(match[3] ?? match[1]) };
    }
    return atom;
  }

  private characterClass(): Node {
    const negated = this.peek() === '^';
    if (negated) this.index++;
    const members = new Set<string>();
    while (this.peek() !== ']') {
      const first = this.classMember();
      if (this.peek() === '-' && this.source[this.index + 1] !== ']' && first.length === 1) {
        this.index++;
        const last = this.classMember();
        for (let code = first[0].charCodeAt(0); code <= last[0].charCodeAt(0); code++) members.add(String.fromCharCode(code));
      } else {
        first.forEach((m) => members.add(m));
      }
    }
    this.expect(']');
    return { kind: 'chars', set: PRINTABLE.filter((c) => members.has(c) !== negated) };
  }

  private classMember(): string[] {
    const c = this.source[this.index++];
    return c === '\\' ? this.escape() : [c];
  }

  private escape(): string[] {
    const c = this.source[this.index++];
    if (c === 'd') return PRINTABLE.filter((x) => /\d/.test(x));
    if (c === 'w') return PRINTABLE.filter((x) => /\w/.test(x));
    if (c === 's') return [' '];
    if (c === 'x') {
      const code = parseInt(this.source.slice(this.index, this.index + 2), 16);
      this.index += 2;
      return [String.fromCharCode(code)];
    }
    return [c];
  }

  private peek(): string {
    return this.source[this.index];
  }

  private expect(c: string): void {
    if (this.source[this.index++] !== c) throw new Error(`Expected "${c}" at ${this.index - 1} in ${this.source}`);
  }
}

function maxLength(node: Node): number {
  switch (node.kind) {
    case 'chars': return node.set.length > 0 ? 1 : -Infinity;
    case 'seq': return node.items.reduce((sum, item) => sum + maxLength(item), 0);
    case 'alt': return Math.max(...node.options.map(maxLength));
    case 'repeat': return node.max * Math.max(0, maxLength(node.node));
  }
}

function build(node: Node, state: { variant: number; position: number }): string {
  switch (node.kind) {
    case 'chars': {
      const escaped = node.set.filter((c) => c === '"' || c === '\\');
      const pool = escaped.length > 0 ? escaped : node.set;
      return pool[(state.variant + state.position++) % pool.length];
    }
    case 'seq': return node.items.map((item) => build(item, state)).join('');
    case 'alt': return build(node.options.reduce((best, o) => (maxLength(o) > maxLength(best) ? o : best)), state);
    case 'repeat': {
      let text = '';
      // Each repetition of a group is a different variant (a list's items differ from each other).
      for (let i = 0; i < node.max; i++) text += build(node.node, node.node.kind === 'chars' ? state : { ...state, variant: state.variant + i + 1 });
      return text;
    }
  }
}

/** The longest value `pattern` accepts (anchors ignored); throws when the pattern is unbounded. */
export function longestMatch(pattern: string, variant = 0): string {
  return build(new Parser(pattern).parse(), { variant, position: 0 });
}
