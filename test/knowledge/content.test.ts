/** The real knowledge base: every contract id present, links mutual, categories consistent, text clean. */
import { describe, expect, it } from 'vitest';
import { loadCore } from '../../src/loadCore.js';

const { kb } = loadCore();

const guideServices = `ec2 lambda ecs eks s3 ebs efs rds aurora dynamodb elasticache documentdb vpc cloudfront route-53 elb
  api-gateway iam secrets-manager kms waf shield cognito cloudwatch x-ray cloudtrail athena kinesis sqs sns
  eventbridge step-functions codecommit codebuild codedeploy codepipeline cloudformation cdk sam ecr fargate
  sagemaker rekognition comprehend transcribe ses cost-explorer budgets trusted-advisor systems-manager config
  organizations appsync amplify iot-core dms datasync transfer-family`.split(/\s+/);
const extendedServices = `redshift opensearch bedrock acm glue quicksight guardduty security-hub backup elastic-beanstalk app-runner
  batch msk global-accelerator direct-connect transit-gateway lightsail neptune memorydb storage-gateway
  inspector macie control-tower service-catalog emr lake-formation`.split(/\s+/);
const others = `category-compute category-storage category-databases category-networking category-security category-monitoring
  category-integration category-devtools category-containers category-ml category-messaging category-cost category-management
  category-mobile-iot category-migration practice-architecture practice-security practice-cost practice-performance
  practice-operations practice-reliability pattern-three-tier pattern-serverless-api pattern-event-driven pattern-data-pipeline
  pattern-container-microservices pro-tips checklist top-10 cheat-sheet resources`.split(/\s+/);

describe('the knowledge base', () => {
  it('has every id of the contract, with the kind and source it should have', () => {
    expect(guideServices).toHaveLength(58);
    expect(extendedServices).toHaveLength(26);
    for (const id of guideServices) expect(kb.byId.get(id), id).toMatchObject({ kind: 'service', source: 'guide' });
    for (const id of extendedServices) expect(kb.byId.get(id), id).toMatchObject({ kind: 'service', source: 'extended' });
    for (const id of others) expect(kb.byId.has(id), id).toBe(true);
  });

  it('has mutual related links: if A lists B, B lists A', () => {
    const oneWay: string[] = [];
    for (const e of kb.entries) {
      if (e.kind !== 'service') continue;
      for (const r of e.related) {
        const other = kb.byId.get(r);
        if (other?.kind !== 'service' || !other.related.includes(e.id)) oneWay.push(`${e.id} -> ${r}`);
      }
    }
    expect(oneWay).toEqual([]);
  });

  it('has categories that list exactly the services naming them, and every service in a category', () => {
    for (const c of kb.entries) {
      if (c.kind !== 'category') continue;
      const naming = kb.entries.filter((s) => s.kind === 'service' && s.categories.includes(c.id)).map((s) => s.id);
      expect([...c.services].sort(), c.id).toEqual(naming.sort());
    }
    expect(kb.byId.get('category-analytics')).toMatchObject({ kind: 'category' });
  });

  it('puts the services the guide lacks into the patterns where they belong', () => {
    const pipeline = kb.byId.get('pattern-data-pipeline');
    expect(pipeline?.kind === 'pattern' && pipeline.services).toEqual(expect.arrayContaining(['glue', 'quicksight']));
  });

  it('keeps the guide text clean: no markdown residue, no garbled characters', () => {
    const texts = JSON.stringify(kb.entries);
    expect(texts).not.toMatch(/\*\*|__|Ã|â€|ðŸ|\uFFFD/);
  });

  it("gives other clouds' names to the services that have well-known counterparts", () => {
    for (const id of ['lambda', 's3', 'dynamodb', 'sqs', 'eks', 'redshift', 'bedrock']) {
      const e = kb.byId.get(id);
      expect(e?.kind === 'service' && (e.equivalents?.azure?.length ?? 0) + (e.equivalents?.gcp?.length ?? 0), id).toBeGreaterThan(0);
    }
  });
});
