import { listing } from "../listing";

export default listing({
  name: "search",
  description: "List the todos matching every filter given, in any state (all of them by default), oldest first.\n\nExamples:\n  todo search milk\n  todo search '/^(buy|get) milk/' +shop --states NOT_STARTED,IN_PROGRESS\n  todo search --reminder-before tomorrow --order-by reminder",
  states: [],
  orderBy: "create_time",
});
