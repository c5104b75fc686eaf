/**
 * Template content checks (templates/checks.ts) on a loaded stack: every message of every template
 * kind (each kind says what its messages are, `KindDefinition.templates`), located where the user
 * edits it: at the line and column of the body file, or at the field for an inline body or an
 * MJML file (the checks read the compiled HTML). No network, no credentials.
 */
import { KINDS } from "../providers/kinds";
import { checkMessage } from "../templates/checks";
import type { StackError } from "./errors";
import { formatPath, type PathSeg, type SourceText, type YamlSource } from "./source";
import { eachEntryAt, propsOf, rec } from "./walk";

export function checkTemplates(data: unknown, bodyFiles: Map<string, SourceText>, src: YamlSource): StackError[] {
  const out: StackError[] = [];
  for (const def of KINDS) {
    if (!def.templates) continue;
    const templates = def.templates;
    let count = 0;
    let first: PathSeg[] | undefined;
    eachEntryAt(data, def.yamlPath.split("."), (e) => {
      count++;
      first ??= e.segs;
      const sampleData = rec(e.raw.sampleData);
      for (const message of templates.messages(propsOf(e.raw), sampleData)) {
        for (const issue of checkMessage(message)) {
          const segs: PathSeg[] = [...e.segs, ...(issue.part?.field ?? message.label.split(".").filter(Boolean))];
          const path = formatPath(segs);
          const file = bodyFiles.get(path);
          const problem = { code: issue.code, severity: issue.severity, path, problem: issue.problem, fix: issue.fix };
          if (file) {
            out.push(file.errorAt({ start: issue.offset, end: issue.offset + 1 }, problem));
            continue;
          }
          const within = issue.part && issue.offset > 0 ? positionIn(issue.part.text, issue.offset) : undefined;
          const at = within ? ` (line ${within.line}, column ${within.column} of the body)` : "";
          out.push(src.errorAt(src.locate(segs, "value"), { ...problem, problem: `${issue.problem}${at}` }));
        }
      }
    });
    const cap = templates.maxPerAccount;
    if (cap && count > cap.count && first) {
      out.push(
        src.errorAt(src.locate(first.slice(0, -1), "key"), {
          code: "TEMPLATE_LIMIT",
          path: formatPath(first.slice(0, -1)),
          problem: `${count} entries; ${cap.source}`,
          fix: `keep at most ${cap.count} (split them across accounts or subusers)`,
        }),
      );
    }
  }
  return out;
}

function positionIn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  return { line, column: offset - before.lastIndexOf("\n") };
}
