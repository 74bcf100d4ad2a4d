import { plainToInstance, type ClassConstructor } from 'class-transformer';
import { getMetadataStorage, ValidationTypes, type ValidationArguments, type ValidatorConstraintInterface } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata.js';
import { requireOptionalPackage } from '../common/optional-package.js';

/** A field that fails its DTO's rules: its path, and whether it is absent (`111`) or malformed (`112`). */
export interface BodyProblem {
  readonly field: string;
  readonly missing: boolean;
}

type Check = (value: unknown, object: object) => boolean;

/** One property of a DTO, its class-validator rules compiled once. */
interface CompiledProperty {
  readonly name: string;
  /** `@IsDefined()` checks: they run even on an `@IsOptional()` property. */
  readonly defined: readonly Check[];
  /** `@IsOptional()`-style conditions: when one is false, nothing else runs. */
  readonly conditions: readonly ((object: object, value: unknown) => boolean)[];
  readonly checks: readonly Check[];
  /** `@ValidateNested()`. */
  readonly nested: boolean;
}

/**
 * The callbacks' DTO rules, compiled once per DTO from the class-validator metadata its decorators
 * registered, and run with class-validator's own constraint functions: the same rules and the same
 * first problem as `validateSync`, without its per-call metadata lookup, error objects and message
 * formatting. Only the DTO's declared properties are transformed (class-transformer, for its
 * `@Transform`/`@Type`, only when the body has such a property): unknown fields, which Thales may
 * add, are neither walked nor kept.
 */
export class CallbackBodyValidator<T extends object> {
  private static readonly compiled = new WeakMap<ClassConstructor<object>, CallbackBodyValidator<object>>();
  private readonly properties: readonly CompiledProperty[];
  /**
   * The properties class-transformer changes (`@Transform`, `@Type`, `@Expose`, `@Exclude`); a body
   * with none of them is copied as it is. Undefined: every body goes through class-transformer.
   */
  private readonly transformed: readonly string[] | undefined;

  private constructor(private readonly dto: ClassConstructor<T>) {
    this.properties = compile(dto as Decorated);
    this.transformed = transformedProperties(dto, this.properties);
  }

  /** The validator of a DTO (compiled on first use). */
  static of<T extends object>(dto: ClassConstructor<T>): CallbackBodyValidator<T> {
    let validator = CallbackBodyValidator.compiled.get(dto);
    if (!validator) CallbackBodyValidator.compiled.set(dto, (validator = new CallbackBodyValidator(dto)));
    return validator as CallbackBodyValidator<T>;
  }

  /** The body as a DTO instance (declared properties only), and the problems its rules found, in class-validator's order. */
  validate(body: Record<string, unknown>): { instance: T; problems: BodyProblem[] } {
    const plain = this.transformed !== undefined && !this.transformed.some((name) => name in body);
    // Without a transformed property, class-transformer would only copy the values: done here, at a fraction of its cost.
    const declared: Record<string, unknown> = plain ? (new this.dto() as Record<string, unknown>) : {};
    // JSON's `null` is an absent field: a required one answers 111, an optional one is left out
    // rather than handed on as a value (`errorCode: null` published as "null").
    for (const property of this.properties) if (property.name in body && body[property.name] !== null) declared[property.name] = body[property.name];
    const instance = plain ? (declared as T) : plainToInstance(this.dto, declared);
    const problems: BodyProblem[] = [];
    validateObject(instance, this.properties, '', problems);
    return { instance, problems };
  }
}

/** The part of class-transformer's metadata storage read here (not in its typings: see `transformedProperties`). */
interface TransformerMetadata {
  findTransformMetadatas(target: object, property: string, transformationType: number): unknown[];
  findTypeMetadata(target: object, property: string): unknown;
  findExposeMetadata(target: object, property: string): unknown;
  findExcludeMetadata(target: object, property: string): unknown;
  getStrategy(target: object): string;
}

/** class-transformer's `TransformationType.PLAIN_TO_CLASS`. */
const PLAIN_TO_CLASS = 0;

/**
 * The DTO's properties class-transformer would change, from its metadata storage (a module of its
 * package, not of its documented API: when it cannot be read, or the DTO has a class-level
 * strategy, every body goes through class-transformer).
 */
function transformedProperties(dto: ClassConstructor<object>, properties: readonly CompiledProperty[]): string[] | undefined {
  const storage = requireOptionalPackage<{ defaultMetadataStorage?: TransformerMetadata }>('class-transformer/cjs/storage.js', import.meta.url)?.defaultMetadataStorage;
  if (typeof storage?.findTransformMetadatas !== 'function' || storage.getStrategy(dto) !== 'none') return undefined;
  return properties
    .filter(({ name }) =>
      storage.findTransformMetadatas(dto, name, PLAIN_TO_CLASS).length > 0 ||
      storage.findTypeMetadata(dto, name) !== undefined ||
      storage.findExposeMetadata(dto, name) !== undefined ||
      storage.findExcludeMetadata(dto, name) !== undefined,
    )
    .map(({ name }) => name);
}

/** A class whose decorators registered validation metadata. */
type Decorated = new (...args: never[]) => object;

function compile(dto: Decorated): CompiledProperty[] {
  const storage = getMetadataStorage();
  const metadatas = storage.getTargetValidationMetadatas(dto, '', true, false);
  const grouped = storage.groupByPropertyName(metadatas);
  return Object.entries(grouped).map(([name, entries]) => {
    const nested = entries.some((metadata) => metadata.type === ValidationTypes.NESTED_VALIDATION);
    // class-validator takes an array for a nested object and checks its elements instead, so
    // `{ "otp": [] }` would pass as an `otp` with no value: a nested object must be declared one.
    if (nested && !entries.some((metadata) => metadata.name === 'isObject')) {
      throw new Error(`CallbackBodyValidator: ${dto.name}.${name} is @ValidateNested() without @IsObject(), so an array would pass for it`);
    }
    const checksOf = (list: ValidationMetadata[]) => list.flatMap((metadata) => compileCheck(metadata));
    return {
      name,
      defined: checksOf(entries.filter((metadata) => metadata.type === ValidationTypes.IS_DEFINED)),
      conditions: entries
        .filter((metadata) => metadata.type === ValidationTypes.CONDITIONAL_VALIDATION)
        .map((metadata) => metadata.constraints[0] as (object: object, value: unknown) => boolean),
      checks: checksOf(entries.filter((metadata) => metadata.type === ValidationTypes.CUSTOM_VALIDATION)),
      nested,
    };
  });
}

/** A class-validator rule as a function, calling the constraint's own `validate`. */
function compileCheck(metadata: ValidationMetadata): Check[] {
  if (metadata.each || metadata.validateIf) {
    throw new Error(`CallbackBodyValidator: ${metadata.propertyName} uses a rule option it does not compile (each, validateIf)`);
  }
  const constraints = getMetadataStorage().getTargetValidatorConstraints(metadata.constraintCls);
  return constraints.map((constraint) => {
    if (constraint.async) throw new Error(`CallbackBodyValidator: ${metadata.propertyName} has an async rule`);
    const instance = constraint.instance as ValidatorConstraintInterface;
    return (value: unknown, object: object) => {
      const args: ValidationArguments = { targetName: object.constructor?.name ?? '', property: metadata.propertyName, object, value, constraints: metadata.constraints };
      return instance.validate(value, args) === true;
    };
  });
}

/** class-validator's `performValidations` for each property, problems in its order. */
function validateObject(object: object, properties: readonly CompiledProperty[], parent: string, problems: BodyProblem[]): void {
  for (const property of properties) {
    const value = (object as Record<string, unknown>)[property.name];
    validateValue(object, value, property, parent ? `${parent}.${property.name}` : property.name, problems);
  }
}

function validateValue(object: object, value: unknown, property: CompiledProperty, field: string, problems: BodyProblem[]): void {
  if (!property.conditions.every((condition) => condition(object, value))) return;
  const own = property.defined.some((check) => !check(value, object)) || property.checks.some((check) => !check(value, object));
  const at = problems.length;
  if (property.nested && value !== undefined) validateNested(value, property, field, problems);
  // The property's own problem comes before its children's, as class-validator lists them.
  if (own || (property.nested && value !== undefined && !(value instanceof Object))) problems.splice(at, 0, { field, missing: isAbsent(value) });
}

/** class-validator's `nestedValidations`: an object is validated against its class, an array element by element. */
function validateNested(value: unknown, property: CompiledProperty, field: string, problems: BodyProblem[]): void {
  if (Array.isArray(value)) {
    const element: CompiledProperty = { name: property.name, defined: [], conditions: [], checks: [], nested: true };
    value.forEach((item, index) => validateValue(value, item, element, `${field}.${index}`, problems));
  } else if (value instanceof Object) {
    validateObject(value, compiledOf(value.constructor as Decorated), field, problems);
  }
}

const nestedCompiled = new WeakMap<Decorated, CompiledProperty[]>();

function compiledOf(type: Decorated): CompiledProperty[] {
  let compiled = nestedCompiled.get(type);
  if (!compiled) nestedCompiled.set(type, (compiled = compile(type)));
  return compiled;
}

function isAbsent(value: unknown): boolean {
  return value === undefined || value === null || value === '';
}
