package cmdtest

// ApprovalSchema is the schema Prefect 3 stores for
//
//	class Approval(RunInput):
//	    approved: bool
//	    notes: str = "none"
//	    token: SecretStr = SecretStr("")
//
// (pydantic 2's model_json_schema, as src/prefect/input/run_input.py saves it).
const ApprovalSchema = `{"properties": {"approved": {"title": "Approved", "type": "boolean"}, ` +
	`"notes": {"default": "none", "title": "Notes", "type": "string"}, ` +
	`"token": {"default": "", "format": "password", "title": "Token", "type": "string", "writeOnly": true}}, ` +
	`"required": ["approved"], "title": "Approval", "type": "object"}`
