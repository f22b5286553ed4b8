/**
 * Rank relations of the search, through the answer function, with queries written for these tests (not the
 * evaluation sets): names, aliases, typos, comparisons, questions, topics, and what is not about AWS.
 */
import { describe, expect, it } from 'vitest';
import type { Answer } from '../../src/answer/index.js';
import { loadCore } from '../../src/loadCore.js';
import { defaultAnswerOptions } from '../../src/answer/options.js';
import { isVariant } from '../../src/search/index.js';

const core = loadCore();
const ask = (q: string): Answer => core.answer.ask(q);
const top = (q: string): string | undefined => ask(q).results[0]?.entry.id;

/** [query, acceptable ids at rank 1] */
type Case = [string, string | string[]];

function expectTop(cases: Case[]): void {
  for (const [q, want] of cases) {
    it(`${JSON.stringify(q)} → ${[want].flat().join(' | ')}`, () => {
      const a = ask(q);
      expect(a.kind, `kind for ${q}`).toBe('entry');
      expect([want].flat()).toContain(a.results[0]?.entry.id);
    });
  }
}

describe('names', () => {
  const names: Case[] = [
    ['sqs', 'sqs'],
    ['SQS', 'sqs'],
    ['Amazon SQS', 'sqs'],
    ['aws sqs', 'sqs'],
    ['lambda', 'lambda'],
    ['AWS Lambda', 'lambda'],
    ['LAMBDA', 'lambda'],
    ['amazon lambda', 'lambda'],
    ['DynamoDB', 'dynamodb'],
    ['amazon dynamodb', 'dynamodb'],
    ['Route 53', 'route-53'],
    ['route53', 'route-53'],
    ['AWS Route 53', 'route-53'],
    ['step functions', 'step-functions'],
    ['AWS Step Functions', 'step-functions'],
    ['Secrets Manager', 'secrets-manager'],
    ['x-ray', 'x-ray'],
    ['Amazon S3', 's3'],
    ['s3', 's3'],
    ['ec2', 'ec2'],
    ['Amazon EC2', 'ec2'],
    ['cloudformation', 'cloudformation'],
    ['Amazon CloudWatch', 'cloudwatch'],
    ['api gateway', 'api-gateway'],
    ['Amazon API Gateway', 'api-gateway'],
    ['Elastic Load Balancing', 'elb'],
    ['Amazon Redshift', 'redshift'],
    ['aws glue', 'glue'],
    ['Bedrock', 'bedrock'],
    ['Amazon Simple Queue Service', 'sqs'],
    ['Simple Notification Service', 'sns'],
    ['elastic kubernetes service', 'eks'],
  ];
  expectTop(names);

  it('every service is found by its own name, in lower and upper case', () => {
    const misses: string[] = [];
    for (const e of core.kb.entries) {
      if (e.kind !== 'service') continue;
      for (const q of [e.name, e.name.toLowerCase(), e.name.toUpperCase()]) if (top(q) !== e.id) misses.push(`${q} → ${top(q)}`);
    }
    expect(misses).toEqual([]);
  });

  it('every entry is found by each of its aliases', () => {
    const misses: string[] = [];
    for (const e of core.kb.entries) for (const a of e.aliases) if (top(a) !== e.id) misses.push(`${a} (${e.id}) → ${top(a)}`);
    expect(misses).toEqual([]);
  });

  it('a name is found inside a question about it', () => {
    expect(top('what is amazon sqs?')).toBe('sqs');
    expect(top('tell me about dynamodb')).toBe('dynamodb');
    expect(top('explain aws lambda please')).toBe('lambda');
  });

  it('an exact name ranks above any text match', () => {
    const { hits } = core.searcher.search('kinesis');
    expect(hits[0]?.id).toBe('kinesis');
    expect(hits[0]?.via).toBe('name');
    for (const h of hits.slice(1)) expect(h.score).toBeLessThan(hits[0]!.score);
  });
});

describe('acronyms and aliases', () => {
  expectTop([
    ['ddb', 'dynamodb'],
    ['DDB', 'dynamodb'],
    ['k8s', 'eks'],
    ['kubernetes', 'eks'],
    ['r53', 'route-53'],
    ['parameter store', 'systems-manager'],
    ['SSM Parameter Store', 'systems-manager'],
    ['ssm', 'systems-manager'],
    ['session manager', 'systems-manager'],
    ['cfn', 'cloudformation'],
    ['alb', 'elb'],
    ['application load balancer', 'elb'],
    ['nat gateway', 'vpc'],
    ['security groups', 'vpc'],
    ['dax', 'dynamodb'],
    ['redis', 'elasticache'],
    ['kafka', 'msk'],
    ['glacier', 's3'],
    ['lambda@edge', 'cloudfront'],
    ['cdn', 'cloudfront'],
    ['firehose', 'kinesis'],
    ['sfn', 'step-functions'],
    ['dlq', 'sqs'],
    ['scp', 'organizations'],
    ['elasticsearch', 'opensearch'],
    ['spot instances', 'ec2'],
    ['iam roles', 'iam'],
    ['sts', 'iam'],
    ['sftp', 'transfer-family'],
    ['cloudwatch events', 'eventbridge'],
  ]);
});

describe('typos', () => {
  expectTop([
    ['lamda', 'lambda'],
    ['lambada', 'lambda'],
    ['dyanmodb', 'dynamodb'],
    ['dynamdb', 'dynamodb'],
    ['cloudwach', 'cloudwatch'],
    ['cloudwtach', 'cloudwatch'],
    ['cloudtrial', 'cloudtrail'],
    ['cloudfromt', 'cloudfront'],
    ['elasticahe', 'elasticache'],
    ['kinesiss', 'kinesis'],
    ['eventbrige', 'eventbridge'],
    ['sagemkaer', 'sagemaker'],
    ['cloudformaton', 'cloudformation'],
    ['rout53', 'route-53'],
  ]);

  it('a typo is reported as one, not as a name', () => {
    const { hits } = core.searcher.search('lamda');
    expect(hits[0]).toMatchObject({ id: 'lambda', via: 'typo' });
  });

  it('a real name is not taken for a typo of another', () => {
    expect(top('sns')).toBe('sns');
    expect(top('sqs')).toBe('sqs');
    expect(top('ecs')).toBe('ecs');
    expect(top('eks')).toBe('eks');
    expect(top('efs')).toBe('efs');
    expect(top('ebs')).toBe('ebs');
  });

  it("a service's name misspelt in a long question is still that service", () => {
    expect(
      top(
        'our nightly csv import runs in a lamda function that parses every row and keeps getting killed after a few minutes, what is the maximum duration it may run',
      ),
    ).toBe('lambda');
  });
});

describe('comparisons', () => {
  const pairs: [string, string, string][] = [
    ['ecs vs eks', 'ecs', 'eks'],
    ['ECS versus EKS', 'ecs', 'eks'],
    ['rds or aurora', 'rds', 'aurora'],
    ['difference between cloudwatch and cloudtrail', 'cloudwatch', 'cloudtrail'],
    ['sqs vs sns', 'sqs', 'sns'],
    ['compare sqs with sns', 'sqs', 'sns'],
    ['dynamodb vs rds', 'dynamodb', 'rds'],
    ['Lambda vs Fargate', 'lambda', 'fargate'],
    ['s3 or efs', 's3', 'efs'],
    ['should I use kinesis or sqs', 'kinesis', 'sqs'],
    ['cloudformation vs cdk', 'cloudformation', 'cdk'],
    ['what is the difference between secrets manager and parameter store', 'secrets-manager', 'systems-manager'],
    ['eventbridge vs sns', 'eventbridge', 'sns'],
    ['ddb vs aurora', 'dynamodb', 'aurora'],
    ['lamda vs fargate', 'lambda', 'fargate'],
    ['why would a team pick dynamodb instead of aurora for sessions', 'dynamodb', 'aurora'],
    ['we went with ecs rather than eks, was that wrong?', 'ecs', 'eks'],
  ];
  for (const [q, a, b] of pairs) {
    it(`${JSON.stringify(q)} compares ${a} and ${b}`, () => {
      const ans = ask(q);
      expect(ans.kind).toBe('compare');
      expect(ans.results.map((r) => r.entry.id).sort()).toEqual([a, b].sort());
    });
  }

  it('keeps the order the user gave', () => {
    expect(ask('eks vs ecs').results.map((r) => r.entry.id)).toEqual(['eks', 'ecs']);
    expect(ask('ecs vs eks').results.map((r) => r.entry.id)).toEqual(['ecs', 'eks']);
  });

  it('"or" between plain words is a question, not a comparison', () => {
    expect(ask('store files or images').kind).not.toBe('compare');
    expect(ask('use a queue instead of polling the database').kind).not.toBe('compare');
  });

  it('the same entry on both sides is not a comparison', () => {
    expect(ask('sqs vs sqs').kind).not.toBe('compare');
  });
});

describe('questions in the user’s own words', () => {
  expectTop([
    ['where should I keep database passwords?', 'secrets-manager'],
    ['how can I rotate my database credentials automatically', 'secrets-manager'],
    ['how do I decouple my microservices with a queue?', ['sqs', 'sns', 'eventbridge']],
    ['serverless function triggered by an s3 upload', 'lambda'],
    ['I need a managed kubernetes cluster', 'eks'],
    ['where do I store docker images', 'ecr'],
    ['send transactional emails from my app', 'ses'],
    ['who deleted my s3 bucket? audit api calls', 'cloudtrail'],
    ['trace requests across microservices', 'x-ray'],
    ['register a domain name and manage dns', 'route-53'],
    ['protect my website from ddos attacks', ['shield', 'waf']],
    ['block sql injection on my web app', 'waf'],
    ['user sign-up and login for my mobile app', 'cognito'],
    ['run sql queries on files in s3', 'athena'],
    ['encrypt data with my own keys', 'kms'],
    ['set a budget alert', 'budgets'],
    ['speech to text for call recordings', 'transcribe'],
    ['detect faces in images', 'rekognition'],
    ['train and deploy machine learning models', 'sagemaker'],
    ['orchestrate a workflow of lambda functions', 'step-functions'],
    ['in-memory cache to speed up my database', ['elasticache', 'dynamodb']],
    ['shared file system for several ec2 instances', 'efs'],
    ['block storage volume for a virtual server', 'ebs'],
    ['migrate my on-premises oracle database to aws', 'dms'],
    ['infrastructure as code in typescript', 'cdk'],
    ['patch my ec2 fleet', 'systems-manager'],
    ['govern multiple aws accounts', ['organizations', 'control-tower']],
    ['build a graphql api', 'appsync'],
    ['real-time streaming of clickstream data', 'kinesis'],
    ['find sensitive personal data in s3 buckets', 'macie'],
    ['host a static website', 's3'],
    ['send push notifications to phones', 'sns'],
    ['graph database for a social network', 'neptune'],
    ['run containers without managing servers', 'fargate'],
    ['private connection from my datacenter to aws', 'direct-connect'],
    ['get a free tls certificate', 'acm'],
    ['threat detection', 'guardduty'],
    ['pub sub messaging', 'sns'],
    ['message queue', 'sqs'],
    ['what should a senior engineer know about lambda cold starts', 'lambda'],
    ['serverless functions', 'lambda'],
    ['manage many aws accounts centrally', ['organizations', 'control-tower']],
    ['run docker containers', ['ecs', 'fargate', 'eks', 'category-containers']],
    ['cheapest way to archive old logs', 's3'],
  ]);
});

describe('topics', () => {
  expectTop([
    ['databases', 'category-databases'],
    ['Databases', 'category-databases'],
    ['aws databases', 'category-databases'],
    ['storage options', 'category-storage'],
    ['networking', 'category-networking'],
    ['machine learning', 'category-ml'],
    ['ci/cd', 'category-devtools'],
    ['security best practices', 'practice-security'],
    ['cost optimization', 'practice-cost'],
    ['reduce my aws bill', 'practice-cost'],
    ['high availability', 'practice-reliability'],
    ['serverless api', 'pattern-serverless-api'],
    ['three tier architecture', 'pattern-three-tier'],
    ['event-driven architecture', 'pattern-event-driven'],
    ['getting started checklist', 'checklist'],
    ['top 10 services', 'top-10'],
    ['cheat sheet', 'cheat-sheet'],
  ]);
});

describe('out of scope', () => {
  const oos = [
    "what's the weather",
    'what is the weather like in Paris tomorrow',
    'tell me a joke',
    'write me a poem about cats',
    'who won the football match yesterday',
    'recipe for chocolate cake',
    '🎉',
    '🎉🎉🎉',
    'asdkjhqwe',
    'qwertyuiop zxcvbnm',
    '?!?',
    '12345',
    'hello',
    'thanks!',
    'how are you',
    'aws',
    'Amazon',
  ];
  for (const q of oos) {
    it(`${JSON.stringify(q)} → no answer`, () => {
      const a = ask(q);
      expect(a.kind).toBe('none');
      expect(a.results).toEqual([]);
    });
  }

  it('"help", "?" or nothing at all is the help card, with no results', () => {
    for (const q of ['help', 'Help!', '?', '', '   ']) expect(ask(q), JSON.stringify(q)).toMatchObject({ kind: 'help', results: [] });
    expect(ask('help me with lambda').kind).toBe('entry');
  });

  it('a near miss gets suggestions: real entries, never more than the limit', () => {
    for (const q of ['queue thingy', 'encryption spaceship thing', 'bucket purple recital']) {
      const a = ask(q);
      expect(a.kind, q).toBe('none');
      expect(a.suggestions.length, `suggestions for ${q}`).toBeGreaterThan(0);
      expect(a.suggestions.length).toBeLessThanOrEqual(defaultAnswerOptions.maxSuggestions);
      for (const s of a.suggestions) expect(core.kb.byId.get(s.id)).toBe(s);
    }
  });
});

describe('robustness', () => {
  it('emphasis or emoji around a name does not hide it', () => {
    expect(top('*dynamodb*')).toBe('dynamodb');
    expect(top(':rocket: sqs :tada:')).toBe('sqs');
  });

  it('a very long query still gets an answer from its start', () => {
    const q = 'how do I use amazon sqs ' + 'with more words '.repeat(400);
    expect(ask(q).results[0]?.entry.id).toBe('sqs');
  });

  it('answers are deterministic', () => {
    for (const q of ['ddb', 'ecs vs eks', 'where should I keep database passwords?', 'tell me a joke']) expect(ask(q)).toEqual(ask(q));
  });
});

describe('the search API the answer layer judges by', () => {
  it('counts content words as typed: a short form and its long form are one word ("prod db" is two)', () => {
    expect(core.searcher.search('prod db').contentWords).toBe(2);
    expect(core.searcher.search('how do I use the prod db please').contentWords).toBe(2);
  });

  it("a variant is a prefix or a fuzzy match within MiniSearch's distance, not any term of a similar length", () => {
    expect(isVariant('lamda', 'lambda')).toBe(true);
    expect(isVariant('kube', 'kubernet')).toBe(true);
    expect(isVariant('sqs', 'ecs')).toBe(false);
    expect(isVariant('queue', 'quota')).toBe(false);
  });
});

describe('a way of asking for a fact, with the name of its service inside it', () => {
  it('"max sqs message size" holds "max message size" whole once the name is left out', () => {
    const [best] = core.searcher.factsFor(core.searcher.parse('what is the max sqs message size'), ['sqs']);
    expect(best?.fact.id).toBe('sqs-max-message-size');
    expect(best?.phrase).toBe(true);
  });
});

describe('an Azure product named without "Azure"', () => {
  it('"cosmos db" alone gets its AWS counterpart, and says so', () => {
    const a = ask('cosmos db');
    expect(['dynamodb', 'documentdb']).toContain(a.results[0]?.entry.id);
    expect(a.kind === 'entry' && a.counterpartOf).toBeTruthy();
  });
  it('a question about Cosmos DB itself gets no AWS answer', () => {
    expect(ask('cosmos db partition key throughput settings').kind).toBe('none');
  });
  it('words AWS uses too ("container instances", "key vault") still read as AWS', () => {
    expect(top('ecs container instances draining')).toBe('ecs');
    expect(ask('where do I keep secrets, like a key vault').kind).toBe('entry');
  });
});

describe('an SDK error line names the service whose operation it called', () => {
  // Before: GetSecretValue's line got no answer, StartExecution's got ECS's throttling, ReceiveMessage's got SNS.
  expectTop([
    [
      'botocore.exceptions.ClientError: An error occurred (AccessDeniedException) when calling the GetSecretValue operation: User is not authorized',
      'secrets-manager',
    ],
    ['An error occurred (ThrottlingException) when calling the StartExecution operation (reached max retries: 4): Rate exceeded', 'step-functions'],
    ['Error executing "ReceiveMessage" on "https://example.internal/queue"; AWS HTTP error: 403 Forbidden', 'sqs'],
  ]);

  it('maps an operation to the one service whose facts name it, an IAM action to its namespace, and a shared name to none', () => {
    const calls = (q: string) => core.searcher.parse(q).calls ?? [];
    expect(calls('An error occurred (ValidationException) when calling the PutItem operation: oops')).toEqual(['dynamodb']);
    // "sqs:SendMessage" in SNS's facts counts for SQS.
    expect(calls('Error executing "SendMessage" on "https://example.internal/q"')).toEqual(['sqs']);
    expect(calls('An error occurred (ValidationException) when calling the FrobnicateWidget operation: bad input')).toEqual([]);
    expect(core.answer.ask('An error occurred (ValidationException) when calling the FrobnicateWidget operation: bad input').results).toEqual([]);
  });
});
