module example.invalid/kube-reflect/test-cluster/pause

go 1.24.0
