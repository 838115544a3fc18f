"""Every review rule, with its stable id and severity. Ids never change meaning; a retired rule's
id is not reused."""

from frappe_stack.review.findings import CRITICAL, HIGH, LOW, MEDIUM
from frappe_stack.review.rules import (
	doctypes,
	field_rules,
	reports,
	scripts,
	secret_values,
	unknown_roles,
	workflow_rules,
)
from frappe_stack.review.rules.base import Rule

RULES: tuple[Rule, ...] = (
	Rule("SS000", HIGH, "ScriptSyntaxError", "Server Script that does not parse", scripts.syntax_error),
	Rule(
		"SS001",
		CRITICAL,
		"IgnorePermissions",
		"Server Script skips permission checks",
		scripts.ignore_permissions,
	),
	Rule("SS002", CRITICAL, "GuestApi", "API Server Script callable by guests", scripts.guest_api),
	Rule("SS003", CRITICAL, "BuiltSql", "SQL built from strings at run time (injection)", scripts.built_sql),
	Rule("SS004", CRITICAL, "DbCommit", "Server Script calls frappe.db.commit()", scripts.db_commit),
	Rule(
		"SEC001",
		CRITICAL,
		"TokenInDocument",
		"a credential-shaped string in a document",
		secret_values.token_shapes,
	),
	Rule(
		"SEC002",
		CRITICAL,
		"LiteralCredential",
		"a literal password or Authorization header in code",
		secret_values.literal_credentials,
	),
	Rule(
		"DT001", CRITICAL, "NoPermissions", "custom DocType without permission rows", doctypes.no_permissions
	),
	Rule(
		"DL001",
		CRITICAL,
		"FieldRemovedWithData",
		"a field removed while rows hold values",
		field_rules.removed_with_data,
	),
	Rule(
		"DL002",
		CRITICAL,
		"DocTypeDeletedWithData",
		"a DocType deleted while it holds rows",
		doctypes.deleted_with_rows,
	),
	Rule(
		"WF001",
		HIGH,
		"UnknownWorkflowRole",
		"workflow role neither in the repo nor on the site",
		workflow_rules.unknown_roles,
	),
	Rule(
		"WF002",
		HIGH,
		"UnreachableState",
		"workflow state unreachable from the first state",
		workflow_rules.unreachable_states,
	),
	Rule("WF003", HIGH, "NoFinalState", "workflow without a final state", workflow_rules.no_terminal_state),
	Rule(
		"WF004",
		HIGH,
		"StateWithoutRole",
		"workflow state no role may edit",
		workflow_rules.state_without_role,
	),
	Rule(
		"LNK001",
		HIGH,
		"UnknownLinkTarget",
		"Link/Table field to a DocType that exists nowhere",
		field_rules.unknown_link_target,
	),
	Rule(
		"FLD001",
		HIGH,
		"MandatoryOverEmptyRows",
		"field made mandatory while rows are empty",
		field_rules.made_mandatory,
	),
	Rule(
		"FLD002",
		HIGH,
		"SelectOptionInUse",
		"Select option removed while rows hold it",
		field_rules.select_narrowed,
	),
	Rule(
		"FLD003",
		HIGH,
		"NumericOverText",
		"field made numeric while rows hold text",
		field_rules.numeric_from_text,
	),
	Rule("FLD004", HIGH, "LengthTruncates", "field shortened below values it holds", field_rules.shortened),
	Rule("PRM001", HIGH, "PublicWrite", "write rights for Guest or All", doctypes.public_write),
	Rule(
		"PRM002",
		HIGH,
		"UnknownRole",
		"permission, report or workspace role neither in the repo nor on the site",
		unknown_roles.unknown_roles,
	),
	Rule(
		"FLD101",
		MEDIUM,
		"MagicNumberDefault",
		"numeric default without a description",
		field_rules.magic_default,
	),
	Rule("FLD102", MEDIUM, "MissingLabel", "field without a label", field_rules.no_label),
	Rule("FLD103", MEDIUM, "FieldnameNotSnakeCase", "fieldname not snake_case", field_rules.not_snake_case),
	Rule(
		"WF101",
		MEDIUM,
		"UnconditionalSibling",
		"transition without condition beside conditioned ones",
		workflow_rules.unconditional_sibling,
	),
	Rule("RPT101", MEDIUM, "SelectStar", "Query Report selecting *", reports.select_star),
	Rule(
		"STY001",
		LOW,
		"LabelStyle",
		"label not in Title or Sentence case, or with outer spaces",
		field_rules.label_style,
	),
	Rule(
		"DOC001",
		LOW,
		"UndescribedDocType",
		"new custom DocType without description",
		doctypes.undescribed_doctype,
	),
	Rule("DOC002", LOW, "UndescribedField", "new field without description", field_rules.undescribed_field),
)


def rule_by_id() -> dict[str, Rule]:
	return {rule.id: rule for rule in RULES}
