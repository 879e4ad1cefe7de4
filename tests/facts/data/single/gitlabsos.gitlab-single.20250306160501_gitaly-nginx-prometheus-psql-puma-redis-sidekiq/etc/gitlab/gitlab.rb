## GitLab configuration settings
##! This file is generated during initial installation and **is not** modified
##! during upgrades.

external_url 'https://gitlab.example.com'

### Puma
puma['worker_processes'] = 4
puma['max_threads'] = 4
puma['per_worker_max_memory_mb'] = 1500

### Sidekiq
sidekiq['queue_groups'] = ['*'] * 2
sidekiq['concurrency'] = 25

### PostgreSQL
postgresql['max_connections'] = 200
postgresql['shared_buffers'] = "4GB"
postgresql['work_mem'] = "16MB"
# postgresql['max_worker_processes'] = 8

gitlab_rails['db_password'] = "[REDACTED]"
gitlab_rails['smtp_password'] = ENV['SMTP_PASSWORD']

### Gitaly
gitaly['configuration'] = {
  concurrency: [
    {
      rpc: "/gitaly.SmartHTTPService/PostUploadPackWithSidechannel",
      max_per_repo: 20,
      max_queue_wait: "1s",
      max_queue_size: 10,
    },
  ],
}

### Object storage
gitlab_rails['object_store']['enabled'] = false
