import { stateChange } from "../state-change";

export default stateChange({
  name: "start",
  description:
    "Mark todos in progress: by id, or every todo a filter selects (those not started, unless --states says otherwise).\n\nExamples:\n  todo start 6b0a\n  todo start --tags sprint-12",
  state: "STATE_IN_PROGRESS",
  verb: "started",
  from: ["STATE_NOT_STARTED"],
});
