# states.gp: state timeline, one row per connection, one bar per TCP state
# Written by twsim. The data is in states.dat (plain columns, described in its
# header). Edit freely and rerun `gnuplot states.gp`: it writes states.png and
# states.svg (twsim passes temporary names in png_out and svg_out).
reset
if (!exists("png_out")) png_out = 'states.png'
if (!exists("svg_out")) svg_out = 'states.svg'
set encoding utf8
if (strstrt(GPVAL_TERMINALS, ' pngcairo ') > 0) {
  set terminal pngcairo size 1280,800 noenhanced font 'Sans,12' linewidth 1.5
} else {
  set terminal png size 1280,800 noenhanced
}
set output png_out
set title 'TCP state timeline (TIME-WAIT should last 2 x MSL)' font ',16'
set xlabel 'time (s)'
set label 'host #incarnation (local > remote)' at screen 0.01, graph 1 left offset 0,1.2 font ',11'
set key outside right top vertical box spacing 1.1
set grid xtics lc rgb '#e0e0e0'
set xrange [0.000000000:1.389750000]
set lmargin at screen 0.275
set xtics font ',11' ('0' 0.000000000, '0.2' 0.200000000, '60.11' 0.336250000, '60.4' 0.626250000, '60.6' 0.826250000, '60.8' 1.026250000, '61' 1.226250000, '65' 1.362500000)
set object rect from 0.200000000, graph 0 to 0.336250000, graph 1 behind fc rgb '#e8e8e8' fs solid 1 noborder
set arrow from 0.200000000, graph 0 to 0.200000000, graph 1 nohead dt 2 lw 1.5 lc rgb '#606060' front
set arrow from 0.336250000, graph 0 to 0.336250000, graph 1 nohead dt 2 lw 1.5 lc rgb '#606060' front
set object rect from 1.226250000, graph 0 to 1.362500000, graph 1 behind fc rgb '#e8e8e8' fs solid 1 noborder
set arrow from 1.226250000, graph 0 to 1.226250000, graph 1 nohead dt 2 lw 1.5 lc rgb '#606060' front
set arrow from 1.362500000, graph 0 to 1.362500000, graph 1 nohead dt 2 lw 1.5 lc rgb '#606060' front
set yrange [3.9:-0.6]
set ytics scale 0 font ',11' ('server listener (10.0.0.2:80)' 0, 'client #1 (10.0.0.1:49152 > 10.0.0.2:80)' 1, 'server #1 (10.0.0.2:80 > 10.0.0.1:49152)' 2, 'server listener 2 (10.0.0.2:80)' 3)
plot NaN notitle, \
  'states.dat' index 0 using 1:2:3:4:5:6 with boxxyerror fs solid 1 noborder lc rgb '#c8c8c8' title 'CLOSED (gone)', \
  'states.dat' index 1 using 1:2:3:4:5:6 with boxxyerror fs solid 1 noborder lc rgb '#a6cee3' title 'LISTEN', \
  'states.dat' index 2 using 1:2:3:4:5:6 with boxxyerror fs solid 1 noborder lc rgb '#fdbf6f' title 'SYN-SENT', \
  'states.dat' index 3 using 1:2:3:4:5:6 with boxxyerror fs solid 1 noborder lc rgb '#ff7f00' title 'SYN-RECEIVED', \
  'states.dat' index 4 using 1:2:3:4:5:6 with boxxyerror fs solid 1 noborder lc rgb '#33a02c' title 'ESTABLISHED', \
  'states.dat' index 5 using 1:2:3:4:5:6 with boxxyerror fs solid 1 noborder lc rgb '#cab2d6' title 'FIN-WAIT-1', \
  'states.dat' index 6 using 1:2:3:4:5:6 with boxxyerror fs solid 1 noborder lc rgb '#6a3d9a' title 'FIN-WAIT-2', \
  'states.dat' index 7 using 1:2:3:4:5:6 with boxxyerror fs solid 1 noborder lc rgb '#1f78b4' title 'CLOSE-WAIT', \
  'states.dat' index 8 using 1:2:3:4:5:6 with boxxyerror fs solid 1 noborder lc rgb '#b15928' title 'LAST-ACK', \
  'states.dat' index 9 using 1:2:3:4:5:6 with boxxyerror fs solid 1 noborder lc rgb '#e31a1c' title 'TIME-WAIT', \
  'states.dat' index 10 using 1:2:3 with labels left font ',11' tc rgb '#a01010' notitle, \
  NaN with boxes fs solid 1 noborder lc rgb '#e8e8e8' title 'quiet, drawn short'

# The same plot as SVG.
set terminal svg size 1280,800 noenhanced font 'Sans,12' linewidth 1.5 background rgb 'white'
set output svg_out
replot
set output
undefine png_out svg_out
