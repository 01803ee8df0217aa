module routeguard.test/cgo

go 1.21
