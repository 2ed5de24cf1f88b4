import { stateChange } from "../state-change";

export default stateChange({
  name: "done",
  description:
    "Mark todos done: by id, or every todo a filter selects (those not done yet, unless --states says otherwise); more than 2 selected: asks first, unless --yes.\n\nExamples:\n  todo done 6b0a 6b0c\n  todo done +shop --states IN_PROGRESS",
  state: "STATE_DONE",
  verb: "done",
  question: "mark {todos} done",
  from: ["STATE_NOT_STARTED", "STATE_IN_PROGRESS"],
});
