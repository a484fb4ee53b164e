#!/usr/bin/perl
# Writes the zxcvbn "passwords" frequency list (30,000 common passwords, from Debian's
# libdata-password-zxcvbn-perl) as a C++ initializer list, lower-cased.
use strict;
use warnings;
use Data::Password::zxcvbn::RankedDictionaries::Common;

my $out = shift or die "usage: $0 OUT\n";
my $list = $Data::Password::zxcvbn::RankedDictionaries::Common::ranked_dictionaries{passwords}
  or die "no passwords list in Data::Password::zxcvbn\n";
my @words = sort { $list->{$a} <=> $list->{$b} } keys %$list;
die "the common-password list is too short\n" if @words < 10000;
open my $fh, '>', "$out.tmp" or die "$out: $!\n";
print $fh "// Generated at build time; do not edit.\n";
for my $w (@words) {
  my $s = lc $w;
  $s =~ s/([\\"])/\\$1/g;
  $s =~ s/([^\x20-\x7e])/sprintf("\\x%02x", ord $1)/ge;
  print $fh "\"$s\",\n";
}
close $fh or die "$out: $!\n";
rename "$out.tmp", $out or die "$out: $!\n";
