// The Ansible side of bench:fleet: the same five steps as examples/operations/fleet-config.yaml,
// over SSH with pipelining and ControlPersist, a quarter of the hosts at a time.
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "yaml";
import { type Finished, processCpu, processesWith, timedRun, waitFor } from "./measure.ts";

export interface AnsibleRun extends Finished {
  /** CPU of the ssh masters ControlPersist left running, read just before they are stopped. */
  readonly mastersCpu: number;
  readonly masters: number;
}

const dir = "{{ root }}/{{ inventory_hostname }}/releases/{{ release }}";

/** The playbook, task for task as fleet-config.yaml's steps (its comments name them). */
export function playbook(): unknown {
  return [
    {
      name: "fleet-config",
      hosts: "fleet",
      gather_facts: false, // opsdojo gathers nothing either
      serial: "25%", // batch_size: "25%"
      max_fail_percentage: 0, // max_failures: 0 (Ansible has no undo to roll back with)
      tasks: [
        { name: "make-release-dir", "ansible.builtin.file": { path: dir, state: "directory", mode: "0755" } },
        {
          name: "write-config",
          "ansible.builtin.copy": {
            dest: `${dir}/app.conf`,
            mode: "0644",
            content:
              "# {{ inventory_hostname }}: release {{ release }}\nrelease={{ release }}\nworkers={{ workers }}\nlisten=0.0.0.0:8080\n",
          },
        },
        {
          name: "keep-default",
          "ansible.builtin.copy": {
            src: `${dir}/app.conf`,
            dest: `${dir}/app.conf.default`,
            remote_src: true,
            mode: "preserve",
          },
        },
        { name: "restrict-config", "ansible.builtin.file": { path: `${dir}/app.conf`, mode: "0640" } },
        {
          name: "point-current",
          "ansible.builtin.file": {
            src: "releases/{{ release }}",
            dest: "{{ root }}/{{ inventory_hostname }}/current",
            state: "link",
          },
        },
      ],
    },
  ];
}

/** `ansible-playbook [core 2.14.18]`, or undefined when it is not installed. */
export async function ansibleVersion(cwd: string): Promise<string | undefined> {
  try {
    const v = await timedRun("ansible-playbook", ["--version"], process.env, cwd);
    return v.code === 0 ? v.stdout.split("\n")[0]?.trim() : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Runs the playbook on the inventory's `fleet`. Ansible's own files (config, temp dirs, control
 * sockets) live in `work`, so nothing of the user's ~/.ansible is read or written.
 */
export async function runAnsible(options: {
  work: string;
  inventory: string;
  hosts: number;
  vars: Record<string, string | number>;
  cwd: string;
}): Promise<AnsibleRun> {
  const { work } = options;
  mkdirSync(work, { recursive: true });
  const controlDir = join(work, "cp");
  mkdirSync(controlDir, { recursive: true });
  const config = join(work, "ansible.cfg");
  writeFileSync(
    config,
    [
      "[defaults]",
      `forks = ${Math.max(5, options.hosts)}`,
      "host_key_checking = True",
      "retry_files_enabled = False",
      "interpreter_python = /usr/bin/python3",
      "[ssh_connection]",
      "pipelining = True",
      "ssh_args = -o ControlMaster=auto -o ControlPersist=60s",
      `control_path_dir = ${controlDir}`,
      "",
    ].join("\n"),
  );
  const book = join(work, "playbook.yml");
  writeFileSync(book, stringify(playbook()));
  const env = {
    ...process.env,
    ANSIBLE_CONFIG: config,
    ANSIBLE_HOME: join(work, "home"),
    ANSIBLE_LOCAL_TEMP: join(work, "tmp-local"),
    ANSIBLE_REMOTE_TEMP: join(work, "tmp-remote"),
    ANSIBLE_NOCOLOR: "1",
  };
  const extra = Object.entries(options.vars).map(([k, v]) => `${k}=${v}`);
  const run = await timedRun(
    "ansible-playbook",
    ["-i", options.inventory, "--extra-vars", extra.join(" "), book],
    env,
    options.cwd,
  );
  // ControlPersist leaves one ssh master per host running; they carried all the SSH traffic,
  // so their CPU is Ansible's. Read it, then stop them (they are this bench's processes).
  const masters = existsSync(controlDir) ? processesWith(controlDir) : [];
  const mastersCpu = masters.reduce((sum, pid) => sum + processCpu(pid, true), 0);
  for (const pid of masters) {
    try {
      process.kill(pid, "SIGTERM");
    } catch {}
  }
  await waitFor(() => processesWith(controlDir).length === 0, "Ansible's ssh masters to stop");
  return { ...run, mastersCpu, masters: masters.length };
}
