/**
 * Errors the stand-in reports the way Infrahub does: a message plus
 * extensions { code, http_status, data } (shapes from the SDK's recorded error catalogue).
 */
export class StandinError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly httpStatus: number,
    readonly data: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'StandinError';
  }

  get extensions(): Record<string, unknown> {
    return { code: this.code, http_status: this.httpStatus, data: this.data };
  }
}

export function nodeNotFound(kind: string, identifier: string): StandinError {
  return new StandinError(`Unable to find the node ${identifier} / ${kind} in the database.`, 'NODE_NOT_FOUND', 404, {
    node_kind: kind,
    identifier,
  });
}

export function attributeRequired(kind: string, field: string): StandinError {
  return new StandinError(`A value is required for ${kind}.${field}`, 'ATTRIBUTE_REQUIRED', 422, {
    node_kind: kind,
    field_name: field,
  });
}

export function constraintViolation(kind: string, field: string, constraint: string, detail: unknown, message?: string): StandinError {
  return new StandinError(
    message ?? `Value for ${kind}.${field} does not conform to the ${constraint} '${String(detail)}'`,
    'ATTRIBUTE_CONSTRAINT_VIOLATION',
    422,
    { node_kind: kind, field_name: field, constraint, detail },
  );
}

export function invalidType(kind: string, field: string, expected: string, received: string): StandinError {
  return new StandinError(
    `Value for ${kind}.${field} must be of type ${expected}, received ${received}`,
    'ATTRIBUTE_INVALID_TYPE',
    422,
    { node_kind: kind, field_name: field, expected_type: expected, received_type: received },
  );
}

/**
 * Infrahub 1.11.9's refusal of a node that would share a uniqueness constraint's values with
 * another: the constraint named by its fields joined with "-", and no catalogue code (so
 * UNDEFINED_ERROR with the ValidationError's 422).
 */
export function uniquenessViolation(fields: string[]): StandinError {
  return new StandinError(`Violates uniqueness constraint '${fields.join('-')}'`, 'UNDEFINED_ERROR', 422, {});
}

export function validationError(message: string, data: Record<string, unknown> = {}): StandinError {
  return new StandinError(message, 'VALIDATION_ERROR', 422, data);
}

export function schemaNotFound(kind: string): StandinError {
  return new StandinError(`Unable to find the schema ${kind} in the database.`, 'SCHEMA_NOT_FOUND', 422, { kind });
}

export function branchNotFound(name: string): StandinError {
  return new StandinError(`Branch: ${name} not found.`, 'BRANCH_NOT_FOUND', 400, { branch_name: name });
}

export const AUTHENTICATION_REQUIRED_MESSAGE = 'Authentication is required to perform this operation';
