/**
 * Technical text read for what it names: ARNs, service endpoints, CloudFormation resource types, Terraform resource
 * names, IAM actions, SDK error lines, CLI commands and flags, and camelCase API names become words the rest of the
 * search understands. `arn:aws:states:…` names Step Functions, `AWS::Lambda::Function` is "lambda function",
 * `aws_cloudwatch_event_rule` is "cloudwatch event rule", `--visibility-timeout` is "visibility timeout",
 * `BatchWriteItem` is also "batch write item"; an SDK error line's operation (`when calling the PutItem operation`)
 * names its service.
 */

/** A service's technical name (namespace, type prefix) → the words the name index knows it by. */
export type Namespaces = ReadonlyMap<string, string>;

/** The words of a technical token, as the name index knows the service: the namespace table first, else the token. */
function service(ns: Namespaces, token: string): string {
  const t = token
    .toLowerCase()
    .replace(/^(amazon|aws)/, '')
    .replace(/v\d+$/, '');
  return ns.get(t) ?? ns.get(token.toLowerCase()) ?? t;
}

/** "StartExecution" → "start execution"; "increaseStreamRetentionPeriod" → "increase stream retention period". */
export function splitCamel(word: string): string {
  return word
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase();
}

/** An API operation's name (lowercase) → the id of the service it belongs to (`operationsOf` in src/search/index.ts). */
export type Operations = ReadonlyMap<string, string>;

/**
 * An SDK error line's operation: `An error occurred (ValidationException) when calling the PutItem operation`
 * (Python's boto3 and the AWS CLI), `Error executing "SendMessage" on …` (PHP).
 */
const calledOperation = /\bwhen calling the ([A-Z][A-Za-z0-9]+) operation\b|\bError executing "([A-Z][A-Za-z0-9]+)"/g;

/** The services whose operations the SDK error lines of a text call, in order: `PutItem` is DynamoDB's. */
export function servicesCalled(text: string, ops: Operations): string[] {
  const ids = [...text.matchAll(calledOperation)].flatMap((m) => ops.get((m[1] ?? m[2])!.toLowerCase()) ?? []);
  return [...new Set(ids)];
}

export function readTechnical(text: string, ns: Namespaces, ops: Operations = new Map()): string {
  return (
    text
      // … when calling the PutItem operation: …; Error executing "SendMessage" on "https://…": the service's name
      // before it, when the operation is known
      .replace(calledOperation, (m, a?: string, b?: string) => {
        const id = ops.get((a ?? b)!.toLowerCase());
        return id ? ` ${service(ns, id)} ${m} ` : m;
      })
      // operation error DynamoDB: PutItem, https response error … (the Go SDK names the service itself)
      .replace(/\boperation error ([A-Za-z0-9]+): /g, (_m, n: string) => ` ${service(ns, n)} `)
      // arn:aws:sqs:us-east-1:123456789012:orders, arn:aws-us-gov:states:…
      .replace(/\barn:aws[a-z-]*:([a-z0-9-]+):[^\s"'`,)]*/g, (_m, n: string) => ` ${service(ns, n)} `)
      // sqs.us-east-1.amazonaws.com, my-bucket.s3.eu-west-1.amazonaws.com: the label before the Region
      .replace(
        /\b(?:[a-z0-9-]+\.)*?([a-z0-9-]+)\.(?:[a-z]{2}(?:-gov)?-[a-z]+-\d\.)?amazonaws\.com(?:\.cn)?\b/g,
        (_m, n: string) => ` ${service(ns, n)} `,
      )
      // AWS::Lambda::Function, AWS::StepFunctions::StateMachine
      .replace(/\bAWS::([A-Za-z0-9]+)::([A-Za-z0-9]+)/g, (_m, n: string, t: string) => ` ${service(ns, n)} ${splitCamel(t)} `)
      // aws_cloudwatch_event_rule, aws_lambda_function, aws_sfn_state_machine
      .replace(/\baws_([a-z0-9]+)((?:_[a-z0-9]+)*)\b/g, (_m, n: string, rest: string) => ` ${service(ns, n)} ${rest.replace(/_/g, ' ')} `)
      // (Service: AmazonDynamoDBv2; Status Code: 400; …), (Service: Lambda, Status Code: 400, …)
      .replace(/\bService: ?([A-Za-z0-9]+)/g, (_m, n: string) => ` ${service(ns, n)} `)
      // states:StartExecution, s3:GetObject (an IAM action or an error's "not authorized to perform")
      .replace(/\b([a-z0-9-]+):([A-Z][A-Za-z0-9]+)\b/g, (_m, n: string, a: string) => ` ${service(ns, n)} ${splitCamel(a)} `)
      // aws sqs set-queue-attributes, aws s3api put-object
      .replace(/\baws ([a-z0-9-]+) ([a-z0-9-]+)/g, (_m, n: string, c: string) => ` ${service(ns, n.replace(/api$/, ''))} ${c.replace(/-/g, ' ')} `)
      // --visibility-timeout, --memory-size
      .replace(/(^|\s)--([a-z0-9-]+)/g, (_m, pre: string, f: string) => `${pre}${f.replace(/-/g, ' ')}`)
      // BatchWriteItem, ProvisionedThroughputExceededException: the word, and its parts
      .replace(/\b[A-Za-z][a-z0-9]*(?:[A-Z][a-z0-9]+)+\b/g, (w) => `${w} ${splitCamel(w)}`)
  );
}
