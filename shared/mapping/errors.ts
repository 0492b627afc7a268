// A record could not be mapped for a reason the reference also fails on (a transform that
// reads an undefined variable or raises, a filter comparing values of incompatible types).
// The load of the model stops: mapping part of the data and going on could turn into deletes.

export class MappingError extends Error {
  override readonly name = 'MappingError';
  constructor(
    message: string,
    readonly details: {
      model: string;
      /** Destination field (transforms) or filtered source field. */
      field?: string;
      expression?: string;
      /** The undefined variable or attribute, e.g. `fvTenant.attributes.descr`. */
      variable?: string;
      localId?: string;
      /** Where in the config: `schema_mapping[2].transforms[0].expression`. */
      path?: string;
    },
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
