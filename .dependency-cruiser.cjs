// The architecture, checked (`npm run lint:deps`, and by the test suite: tests/src/architecture.test.ts).
// Each service has the same hexagon: domain/ (rules), app/ (use cases and their ports),
// adapters/in/ (gRPC handlers, AMQP consumers) and adapters/out/ (repositories, publishers, clients).
// Workspace packages resolve to their compiled output (platform/dist/src, proto/dist), so the
// platform and contract paths below name those.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment: "The domain imports only its own service's domain and the error kernel: no framework, no platform plumbing, no generated code.",
      severity: 'error',
      from: { path: '^services/([^/]+)/domain/' },
      to: { pathNot: ['^services/$1/domain/', '^platform/(dist/)?src/errors\\.(ts|js)$'] },
    },
    {
      name: 'app-knows-no-adapter',
      comment: 'Use cases depend on their ports (app/ports.ts), never on an adapter.',
      severity: 'error',
      from: { path: '^services/([^/]+)/app/' },
      to: { path: '^services/$1/adapters/' },
    },
    {
      name: 'inbound-adapters-call-use-cases-only',
      comment: 'A gRPC handler or event consumer calls use cases and queries; it never reaches a repository or client directly.',
      severity: 'error',
      from: { path: '^services/([^/]+)/adapters/in/' },
      to: { path: '^services/$1/adapters/out/' },
    },
    {
      name: 'no-database-inside',
      comment:
        'Use cases and inbound adapters see an open transaction only as a TransactionScope (platform/src/db/transaction-scope.ts); the database library is for outbound adapters, migrations and the composition root.',
      severity: 'error',
      from: { path: '^services/[^/]+/(app|adapters/in)/' },
      to: { path: '(^|/)node_modules/(sequelize|mysql2|pg)/' },
    },
    {
      name: 'services-are-independent',
      comment: 'A service talks to another only through contracts (proto/) and events, never through its code.',
      severity: 'error',
      from: { path: '^services/([^/]+)/' },
      to: { path: '^services/', pathNot: '^services/$1/' },
    },
    {
      name: 'generated-code-through-proto',
      comment:
        "Generated code is reached through the @funshop/proto package, never by path. The storefront's JSON types (its web/ export, TypeScript that Vite compiles) are read in one file, api/types.ts.",
      severity: 'error',
      from: { pathNot: ['^proto/', '^storefront/web/src/api/types\\.ts$'] },
      to: { path: '^proto/gen/' },
    },
    {
      name: 'storefront-speaks-only-the-public-api',
      comment: "The storefront's app runs in a browser and calls the REST API through Envoy: it imports no service, platform, tool or server code.",
      severity: 'error',
      from: { path: '^storefront/web/' },
      to: { path: '^(services|platform|tools|tests|storefront/server)/' },
    },
    {
      name: 'platform-serves-everyone',
      comment: 'The platform is what every service needs: it knows no service and no tool.',
      severity: 'error',
      from: { path: '^platform/' },
      to: { path: '^(services|tools|tests)/' },
    },
  ],
  options: {
    // Workspace packages are seen (their compiled output is what an import reaches) but not cruised.
    doNotFollow: { path: ['node_modules', '^(platform|proto|tools)/dist/'] },
    exclude: { path: '^(services/[^/]+|tests)/dist/' },
    tsConfig: { fileName: 'tsconfig.base.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
