"""Reading and writing files: case folders, proposals, schemas, exports."""
