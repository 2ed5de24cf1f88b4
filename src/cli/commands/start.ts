import { stateChange } from "../state-change";

export default stateChange({
  name: "start",
  description:
    "Mark todos in progress: by id, or every todo a filter selects (those not started, unless --states says otherwise); more than 2 selected: asks first, unless --yes.\n\nExamples:\n  todo start 6b0a\n  todo start --tags sprint-12",
  state: "STATE_IN_PROGRESS",
  verb: "started",
  question: "start {todos}",
  from: ["STATE_NOT_STARTED"],
});
