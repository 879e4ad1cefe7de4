roles(["gitaly_role"])
gitaly['configuration'] = {
  listen_addr: '0.0.0.0:8075',
  auth: { token: '[REDACTED]' },
  storage: [
    { name: 'default', path: '/var/opt/gitlab/git-data/repositories' },
  ],
  pack_objects_cache: {
    enabled: true,
    dir: '/var/opt/gitlab/git-data/repositories/+gitaly/PackObjectsCache',
    max_age: '5m',
  },
  concurrency: [
    { rpc: '/gitaly.SmartHTTPService/PostUploadPackWithSidechannel', max_per_repo: 20, max_queue_wait: '1s', max_queue_size: 10 },
    { rpc: '/gitaly.SSHService/SSHUploadPackWithSidechannel', max_per_repo: 20, max_queue_wait: '1s', max_queue_size: 10 },
  ],
}
