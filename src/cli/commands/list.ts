import { listing } from "../listing";

export default listing({
  name: "list",
  description: "List the todos not done yet, the next reminder first and those without one last. Filters as in todo search; --states DONE lists the done ones.\n\nExamples:\n  todo list\n  todo ls +home --limit 5",
  states: ["STATE_NOT_STARTED", "STATE_IN_PROGRESS"],
  orderBy: "reminder",
});
