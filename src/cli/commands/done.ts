import { stateChange } from "../state-change";

export default stateChange({
  name: "done",
  description:
    "Mark todos done: by id, or every todo a filter selects (those not done yet, unless --states says otherwise).\n\nExamples:\n  todo done 6b0a 6b0c\n  todo done +shop --states IN_PROGRESS",
  state: "STATE_DONE",
  verb: "done",
  from: ["STATE_NOT_STARTED", "STATE_IN_PROGRESS"],
});
