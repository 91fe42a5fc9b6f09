/**
 * For tests: a strict reader of the XML that XES logs use (declaration, comments, elements,
 * attributes, no DTD), and a check of a document against the shape of the IEEE 1849-2016 XES
 * schema. No XML parser is among the dependencies, and the export's tests should not trust the
 * writer's own idea of XML, so this one follows the XML 1.0 rules independently: allowed
 * characters, well-formed names and references, attribute-value normalisation, matching tags.
 */

export interface XmlElement {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: readonly XmlElement[];
  /** Non-whitespace character data directly inside the element. */
  readonly text: string;
}

class XmlSyntaxError extends Error {}

function isXmlChar(cp: number): boolean {
  return (
    cp === 0x9 ||
    cp === 0xa ||
    cp === 0xd ||
    (cp >= 0x20 && cp <= 0xd7ff) ||
    (cp >= 0xe000 && cp <= 0xfffd) ||
    (cp >= 0x10000 && cp <= 0x10ffff)
  );
}

const NAME = /[A-Za-z_:][A-Za-z0-9._:-]*/y;
const ENTITIES: Readonly<Record<string, string>> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };

/** Parse a whole document; throws on anything that is not well-formed. */
export function parseXml(input: string): XmlElement {
  for (let i = 0; i < input.length; i++) {
    const cp = input.codePointAt(i) ?? 0;
    if (!isXmlChar(cp))
      throw new XmlSyntaxError(`character U+${cp.toString(16)} at ${i} is not allowed in XML`);
    if (cp > 0xffff) i++;
  }
  // End-of-line handling (XML 1.0 §2.11) comes before anything else.
  const text = input.replace(/\r\n?/g, "\n");
  let pos = 0;
  const fail = (what: string): never => {
    throw new XmlSyntaxError(`${what} at offset ${pos}: ${JSON.stringify(text.slice(pos, pos + 30))}`);
  };
  const skipSpace = () => {
    while (pos < text.length && " \t\n".includes(text[pos] as string)) pos++;
  };
  const expect = (literal: string) => {
    if (!text.startsWith(literal, pos)) fail(`expected ${JSON.stringify(literal)}`);
    pos += literal.length;
  };
  const name = (): string => {
    NAME.lastIndex = pos;
    const m = NAME.exec(text);
    if (!m) return fail("expected a name");
    pos += m[0].length;
    return m[0];
  };
  const misc = () => {
    for (;;) {
      skipSpace();
      if (!text.startsWith("<!--", pos)) return;
      const end = text.indexOf("-->", pos + 4);
      if (end < 0) fail("unterminated comment");
      if (text.slice(pos + 4, end).includes("--")) fail('"--" inside a comment');
      pos = end + 3;
    }
  };
  const reference = (): string => {
    const end = text.indexOf(";", pos);
    if (end < 0) return fail("unterminated reference");
    const body = text.slice(pos + 1, end);
    pos = end + 1;
    const numeric = /^#(?:x([0-9A-Fa-f]+)|([0-9]+))$/.exec(body);
    if (numeric) {
      const cp = numeric[1] !== undefined ? Number.parseInt(numeric[1], 16) : Number(numeric[2]);
      if (!isXmlChar(cp)) fail(`&${body}; refers to a character XML does not allow`);
      return String.fromCodePoint(cp);
    }
    const named = ENTITIES[body];
    if (named === undefined) fail(`unknown entity &${body};`);
    return named as string;
  };
  const attributeValue = (): string => {
    const quote = text[pos];
    if (quote !== '"' && quote !== "'") return fail("expected a quoted attribute value");
    pos++;
    let value = "";
    for (;;) {
      const c = text[pos];
      if (c === undefined) fail("unterminated attribute value");
      if (c === quote) break;
      if (c === "<") fail('"<" in an attribute value');
      if (c === "&") value += reference();
      else {
        // Attribute-value normalisation (§3.3.3): literal whitespace becomes a space.
        value += c === "\t" || c === "\n" ? " " : c;
        pos++;
      }
    }
    pos++;
    return value;
  };
  const element = (): XmlElement => {
    expect("<");
    const tag = name();
    const attributes: Record<string, string> = {};
    for (;;) {
      const before = pos;
      skipSpace();
      if (text.startsWith("/>", pos)) {
        pos += 2;
        return { name: tag, attributes, children: [], text: "" };
      }
      if (text[pos] === ">") {
        pos++;
        break;
      }
      if (pos === before) fail("expected white space before an attribute");
      const key = name();
      skipSpace();
      expect("=");
      skipSpace();
      if (Object.hasOwn(attributes, key)) fail(`attribute ${key} given twice`);
      attributes[key] = attributeValue();
    }
    const children: XmlElement[] = [];
    let data = "";
    for (;;) {
      if (pos >= text.length) fail(`<${tag}> is never closed`);
      if (text.startsWith("</", pos)) {
        pos += 2;
        if (name() !== tag) fail(`end tag does not match <${tag}>`);
        skipSpace();
        expect(">");
        return { name: tag, attributes, children, text: data.trim() };
      }
      if (text.startsWith("<!--", pos)) misc();
      else if (text.startsWith("<![CDATA[", pos) || text.startsWith("<!", pos) || text.startsWith("<?", pos))
        fail("unexpected markup");
      else if (text[pos] === "<") children.push(element());
      else if (text[pos] === "&") data += reference();
      else {
        if (text.startsWith("]]>", pos)) fail('"]]>" in character data');
        data += text[pos];
        pos++;
      }
    }
  };

  if (text.startsWith("<?xml", pos)) {
    const end = text.indexOf("?>", pos);
    if (end < 0) fail("unterminated XML declaration");
    const decl = text.slice(pos, end + 2);
    if (!/^<\?xml\s+version="1\.0"(\s+encoding="UTF-8")?\s*\?>$/.test(decl))
      fail("unexpected XML declaration");
    pos = end + 2;
  }
  misc();
  if (text.startsWith("<!DOCTYPE", pos)) fail("a DTD is not expected");
  const root = element();
  misc();
  if (pos !== text.length) fail("content after the root element");
  return root;
}

/** An attribute of a XES element: its type (`string`, `date`…) and value. */
export interface XesAttribute {
  readonly type: string;
  readonly value: string;
}

export interface XesTrace {
  readonly attributes: Readonly<Record<string, XesAttribute>>;
  readonly events: readonly Readonly<Record<string, XesAttribute>>[];
}

export interface XesLog {
  readonly version: string;
  readonly extensions: readonly { name: string; prefix: string; uri: string }[];
  readonly globals: Readonly<Record<string, Readonly<Record<string, XesAttribute>>>>;
  readonly classifiers: readonly { name: string; keys: string }[];
  readonly attributes: Readonly<Record<string, XesAttribute>>;
  readonly traces: readonly XesTrace[];
}

const ATTRIBUTE_TYPES = new Set(["string", "date", "int", "float", "boolean", "id", "list"]);
const NCNAME = /^[A-Za-z_][A-Za-z0-9._-]*$/;
const DATE_TIME = /^-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/;

/**
 * Read a XES document and check it has the shape of the IEEE 1849-2016 schema: `log` with
 * `xes.version`, then extensions, globals, classifiers, attributes and traces in that order;
 * typed attributes with valid values; prefixed keys only of declared extensions; classifier
 * keys declared as global event attributes.
 */
export function readXes(text: string): XesLog {
  const log = parseXml(text);
  const fail = (what: string): never => {
    throw new Error(`not valid XES: ${what}`);
  };
  if (log.name !== "log") fail(`the root is <${log.name}>, not <log>`);
  const version = log.attributes["xes.version"];
  if (version === undefined || !/^\d+(\.\d+)?$/.test(version))
    fail("xes.version is missing or not a decimal");
  const order = ["extension", "global", "classifier", "attribute", "trace"];
  let stage = 0;
  const extensions: { name: string; prefix: string; uri: string }[] = [];
  const globals: Record<string, Record<string, XesAttribute>> = {};
  const classifiers: { name: string; keys: string }[] = [];
  const logAttributes: Record<string, XesAttribute> = {};
  const traces: XesTrace[] = [];
  const prefixes = () => new Set(extensions.map((e) => e.prefix));

  const attributesOf = (el: XmlElement, allowed: readonly string[]): Record<string, XesAttribute> => {
    const out: Record<string, XesAttribute> = {};
    if (el.text !== "") fail(`<${el.name}> has text content`);
    for (const child of el.children) {
      if (allowed.includes(child.name)) continue;
      if (!ATTRIBUTE_TYPES.has(child.name)) fail(`unexpected <${child.name}> in <${el.name}>`);
      const key = child.attributes.key;
      const value = child.attributes.value;
      if (key === undefined) return fail(`<${child.name}> without a key`);
      if (value === undefined && child.name !== "list") fail(`${key} has no value`);
      const colon = key.indexOf(":");
      if (colon > 0 && !prefixes().has(key.slice(0, colon))) fail(`${key} uses an undeclared extension`);
      if (child.name === "date" && !DATE_TIME.test(value ?? ""))
        fail(`${key}="${value}" is not an xs:dateTime`);
      if (child.name === "int" && !/^[+-]?\d+$/.test(value ?? ""))
        fail(`${key}="${value}" is not an xs:long`);
      if (Object.hasOwn(out, key)) fail(`${key} appears twice in <${el.name}>`);
      out[key] = { type: child.name, value: value ?? "" };
    }
    return out;
  };

  for (const child of log.children) {
    const kind = ATTRIBUTE_TYPES.has(child.name) ? "attribute" : child.name;
    const at = order.indexOf(kind);
    if (at < 0) fail(`unexpected <${child.name}> in <log>`);
    if (at < stage) fail(`<${child.name}> after <${order[stage]}>`);
    stage = at;
    if (kind === "extension") {
      const { name, prefix, uri } = child.attributes;
      if (!name || !NCNAME.test(name) || !prefix || !NCNAME.test(prefix) || !uri)
        fail("an incomplete extension");
      extensions.push({ name: name as string, prefix: prefix as string, uri: uri as string });
    } else if (kind === "global") {
      const scope = child.attributes.scope ?? "event";
      if (scope !== "trace" && scope !== "event") fail(`global scope ${scope}`);
      globals[scope] = attributesOf(child, []);
    } else if (kind === "classifier") {
      const { name, keys } = child.attributes;
      if (!name || !NCNAME.test(name) || !keys) fail("a classifier needs an NCName name and keys");
      for (const key of (keys as string).split(/\s+/)) {
        if (!globals.event || !Object.hasOwn(globals.event, key))
          fail(`classifier key ${key} is not a global`);
      }
      classifiers.push({ name: name as string, keys: keys as string });
    } else if (kind === "attribute") {
      Object.assign(logAttributes, attributesOf({ ...log, children: [child], text: "" }, []));
    } else {
      const attributes = attributesOf(child, ["event"]);
      let seenEvent = false;
      const events = child.children
        .filter((c) => {
          if (c.name === "event") seenEvent = true;
          else if (seenEvent) fail("a trace attribute after an event");
          return c.name === "event";
        })
        .map((e) => attributesOf(e, []));
      traces.push({ attributes, events });
    }
  }
  return {
    version: version as string,
    extensions,
    globals,
    classifiers,
    attributes: logAttributes,
    traces,
  };
}
