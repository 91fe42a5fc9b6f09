/**
 * Whether a lease owner is a server node's run executor (`<host>:<pid>/<hex>`) rather than a
 * command's process (`<host>:<pid>`: `opsdojo run`) or a server's session host
 * (`<host>:<pid>/gd-<hex>`, whose fault runs its session restores): only a server's runs are
 * taken over by the surviving nodes (`on_node_loss`); a command's are left to its person.
 */
export function isServerOwner(owner: string): boolean {
  return /^.*:\d+\/[0-9a-f]+$/.test(owner);
}
