/** Make and model for a machine's subtitle, leaving out what its name already says. */
export function makeAndModel(machine: { name: string; make: string; model: string }): string {
  const name = machine.name.toLowerCase()
  return [machine.make, machine.model]
    .filter((part) => part && !name.includes(part.toLowerCase()))
    .join(' ')
}
