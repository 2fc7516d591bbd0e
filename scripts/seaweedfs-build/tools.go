//go:build tools

// Package tools pins SeaweedFS (the test S3 server) as a dependency of this wrapper module, so that
// scripts/setup-s3.sh can build its `weed` command with the replace directive SeaweedFS needs (go install
// ignores replace directives of the module it installs). See docs/team.md, "The test server".
package tools

import _ "github.com/seaweedfs/seaweedfs/weed"
