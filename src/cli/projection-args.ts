// Where the projection file is, for `todo project` (which writes it) and `todo stats` (which reads it):
// the flags of src/config/project.ts's table.
import { processEnvironment } from "../config/environment";
import { PROJECTION_FILE_SETTINGS, projectionPath as pathFor } from "../config/project";
import { settingArgs } from "./setting-args";

export const projectionArgs = settingArgs(PROJECTION_FILE_SETTINGS);

export const projectionPath = (args: { db?: string; "data-dir"?: string }): string => pathFor(args, processEnvironment());
