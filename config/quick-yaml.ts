/**
 * The fast reader: js-yaml with the YAML 1.2 core schema exactly as the `yaml` library resolves it
 * (js-yaml's own core schema also reads 0b101 as a number and 1e400 as text), so that both parsers
 * give the same data for the files the fast path accepts.
 */
import * as jsyaml from "js-yaml";

function scalar(tag: string, test: (s: string) => boolean, value: (s: string) => unknown): jsyaml.Type {
  return new jsyaml.Type(`tag:yaml.org,2002:${tag}`, {
    kind: "scalar",
    resolve: (s: string | null) => test(s ?? ""),
    construct: (s: string | null) => value(s ?? ""),
  });
}

const INT = /^[-+]?[0-9]+$/;
const INT_OCT = /^0o[0-7]+$/;
const INT_HEX = /^0x[0-9a-fA-F]+$/;
const FLOAT_SPECIAL = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;

const CORE = jsyaml.FAILSAFE_SCHEMA.extend({
  implicit: [
    scalar("null", (s) => /^(?:~|[Nn]ull|NULL)?$/.test(s), () => null),
    scalar("bool", (s) => /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/.test(s), (s) => s[0] === "t" || s[0] === "T"),
    scalar(
      "int",
      (s) => INT.test(s) || INT_OCT.test(s) || INT_HEX.test(s),
      (s) => (INT_OCT.test(s) ? parseInt(s.slice(2), 8) : INT_HEX.test(s) ? parseInt(s.slice(2), 16) : parseInt(s, 10)),
    ),
    scalar(
      "float",
      (s) => FLOAT_SPECIAL.test(s) || FLOAT.test(s),
      (s) => (FLOAT_SPECIAL.test(s) ? (/nan$/i.test(s) ? NaN : s[0] === "-" ? -Infinity : Infinity) : parseFloat(s)),
    ),
  ],
});

/** The data of a YAML text and whether it defines anchors; undefined when js-yaml refuses it. */
export function quickParse(text: string): { data: unknown; anchors: boolean } | undefined {
  let anchors = false;
  try {
    const data = jsyaml.load(text, {
      schema: CORE,
      listener: (event, state) => {
        if (event === "close" && (state as { anchor?: string | null }).anchor != null) anchors = true;
      },
    });
    return { data, anchors };
  } catch {
    return undefined;
  }
}
