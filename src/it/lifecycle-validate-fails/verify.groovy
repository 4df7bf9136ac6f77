def log = new File(basedir, 'build.log').text
assert log.contains('datahub:validate found 2 problem(s):') : log
assert log.contains('content source no-such-notebooks does not exist')
assert log.contains('defaultUrl') : 'the schema violation names the value'
assert !log.contains(':build-image') : 'nothing built after a failed validate'
return true
