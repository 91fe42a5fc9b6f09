// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${…} is the operation file's own reference syntax, quoted in advice on purpose.
/**
 * What to do about a step nothing can undo. For a shell command the first word often names an
 * action that opsdojo can undo by itself; for an HTTP request the method says what the
 * compensation usually is.
 */

const SHELL_EQUIVALENTS: readonly [RegExp, string][] = [
  [
    /(^|[;&|]\s*)(sudo\s+)?rm\s/,
    "use file.delete instead of shell rm: it pseudo-deletes, and undo puts the path back",
  ],
  [/(^|[;&|]\s*)(sudo\s+)?mv\s/, "use file.move instead of shell mv: undo moves it back"],
  [
    /(^|[;&|]\s*)(sudo\s+)?cp\s/,
    "use file.copy instead of shell cp: undo removes the copy and puts back what it replaced",
  ],
  [/(^|[;&|]\s*)(sudo\s+)?chmod\s/, "use file.chmod instead of shell chmod: undo sets the previous mode"],
  [/(^|[;&|]\s*)(sudo\s+)?ln\s+-s/, "use file.symlink instead of ln -s: undo puts back what was there"],
  [
    /(^|[;&|]\s*)(sudo\s+)?mkdir\s/,
    "use file.mkdir instead of shell mkdir: undo removes the directories it made",
  ],
  [
    /(^|[;&|]\s*)sed\s+(-[a-zA-Z]*\s+)*-i/,
    "use file.replace instead of sed -i: undo puts back the previous bytes",
  ],
  [
    // `> file` or `tee file`, but not `2>&1` or `> /dev/null`.
    /((?<![0-9&])>>?\s*(?!&|\/dev\/null)\S|\btee\s)/,
    "use file.write instead of redirecting output into a file: undo puts back the previous bytes",
  ],
  [
    /\baws\s+s3\s+(rm|rb)\b/,
    "use s3.delete_object / s3.delete_bucket instead of aws s3 rm/rb: they back up what they delete",
  ],
  [
    /\baws\s+s3\s+(cp|mv|sync)\b/,
    "use s3.put_object instead of aws s3 cp: it backs up the object it overwrites",
  ],
  [
    /\baws\s+dynamodb\b/,
    "use the dynamodb.* actions instead of the aws CLI: they capture old images and schemas",
  ],
];

const SERVICE = /\bsystemctl\s+(start|stop|restart|reload|enable|disable)\s+(\S+)/;
const SERVICE_INVERSE: Readonly<Record<string, string>> = {
  start: "stop",
  stop: "start",
  restart: "restart",
  reload: "reload",
  enable: "disable",
  disable: "enable",
};

export function shellSuggestions(command: string): string[] {
  const out: string[] = [];
  const service = SERVICE.exec(command);
  if (service) {
    const verb = service[1] as string;
    out.push(
      `add \`undo: { uses: shell.run, with: { command: "systemctl ${SERVICE_INVERSE[verb]} ${service[2]}" } }\``,
    );
  }
  for (const [pattern, advice] of SHELL_EQUIVALENTS) if (pattern.test(command)) out.push(advice);
  if (!service)
    out.push("add `undo: { uses: shell.run, with: { command: … } }` with a command that reverses this one");
  return out;
}

export function httpSuggestions(method: string, url: string): string[] {
  switch (method.toUpperCase()) {
    case "POST":
      return [
        `add \`undo: { uses: http.request, with: { method: DELETE, url: "${url}/\${steps.<this step>.output.body.id}" } }\` to delete what the POST created`,
      ];
    case "PUT":
    case "PATCH":
      return [
        "read the resource first (an http.request GET step), then add `undo:` with a PUT of `${steps.<that step>.output.body}`",
      ];
    case "DELETE":
      return [
        "read the resource first (an http.request GET step), then add `undo:` that recreates it from `${steps.<that step>.output.body}`",
      ];
    default:
      return [
        `a ${method.toUpperCase()} should change nothing: if this endpoint keeps to that, declare \`undo: { uses: noop }\``,
      ];
  }
}

/** Said of every irreversible step, after the specific advice. */
export function generalSuggestions(isLast: boolean): string[] {
  return [
    ...(isLast ? [] : ["move the step last, so that everything before it can still be undone when it fails"]),
    "or move it to an operation of its own, run after this one is committed (`opsdojo runs commit`), with `undo: none` and --yes to run it knowingly",
  ];
}
