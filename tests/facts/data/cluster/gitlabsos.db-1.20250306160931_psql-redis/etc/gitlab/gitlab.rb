roles(['postgres_role', 'redis_master_role'])
postgresql['listen_address'] = '0.0.0.0'
postgresql['max_connections'] = 500
postgresql['shared_buffers'] = '4GB'
postgresql['md5_auth_cidr_addresses'] = %w(10.0.0.0/24 127.0.0.1/32)
redis['bind'] = '0.0.0.0'
redis['maxmemory'] = '4gb'
