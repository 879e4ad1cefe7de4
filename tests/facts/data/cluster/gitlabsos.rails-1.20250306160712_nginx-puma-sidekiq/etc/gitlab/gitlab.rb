external_url 'https://gitlab.example.com'
roles(['application_role'])

gitlab_rails['db_host'] = '10.0.0.30'
gitlab_rails['db_port'] = 5432
gitlab_rails['db_password'] = '[REDACTED]'
gitlab_rails['db_load_balancing'] = { 'hosts' => ['10.0.0.31', '10.0.0.32'] }
gitlab_rails['redis_host'] = '10.0.0.30'
gitlab_rails['redis_password'] = '[REDACTED]'

git_data_dirs({
  "default" => {
    "gitaly_address" => "tcp://10.0.0.20:8075"
  }
})

gitlab_rails['object_store']['enabled'] = true
gitlab_rails['object_store']['connection'] = {
  'provider' => 'AWS',
  'region' => 'eu-west-1',
  'use_iam_profile' => true
}

postgresql['enable'] = false
redis['enable'] = false
gitaly['enable'] = false
